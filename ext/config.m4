dnl flame_kafka is a PHP extension written in Rust (the crate is the parent
dnl directory). The PHP way to build and install it:
dnl
dnl     cd ext && phpize && ./configure && make && make install
dnl
dnl `make` runs `cargo build --release` against the PHP of php-config
dnl (./configure --with-php-config=...) and `make install` copies
dnl flame_kafka.so into `php-config --extension-dir`. PIE does the same
dnl (composer.json: "build-path": "ext"). The build lives in a directory of
dnl its own (config.m4 beside the project's Makefile would overwrite it).

PHP_ARG_ENABLE([flame_kafka],
  [whether to enable flame_kafka],
  [AS_HELP_STRING([--enable-flame_kafka],
    [Enable flame_kafka, the asynchronous Kafka client (built with cargo) [default=yes]])],
  [yes], [no])

PHP_ARG_WITH([cargo],
  [whether a cargo was named for flame_kafka],
  [AS_HELP_STRING([--with-cargo=PATH],
    [Path of cargo [default: cargo on PATH, else ~/.cargo/bin/cargo]])],
  [no], [no])

if test "$PHP_FLAME_KAFKA" != "no"; then
  FLAME_KAFKA_CRATE=`cd "$abs_srcdir/.." && pwd`
  if test ! -f "$FLAME_KAFKA_CRATE/Cargo.toml"; then
    AC_MSG_ERROR([flame_kafka: no Cargo.toml in $FLAME_KAFKA_CRATE (run phpize in the ext/ directory of the flame_kafka source)])
  fi

  AC_MSG_CHECKING([for a PHP that flame_kafka supports])
  flame_kafka_vernum=`$PHP_CONFIG --vernum 2>/dev/null`
  if test -z "$flame_kafka_vernum" || test "$flame_kafka_vernum" -lt 80200; then
    AC_MSG_ERROR([flame_kafka needs PHP 8.2 or newer; $PHP_CONFIG says `$PHP_CONFIG --version 2>/dev/null`])
  fi
  flame_kafka_php="`$PHP_CONFIG --version 2>/dev/null` (`$PHP_CONFIG --php-binary 2>/dev/null`)"
  AC_MSG_RESULT([$flame_kafka_php])

  if test "$PHP_CARGO" != "no" && test "$PHP_CARGO" != "yes"; then
    AC_MSG_CHECKING([for cargo])
    if test -x "$PHP_CARGO"; then
      CARGO="$PHP_CARGO"
      AC_MSG_RESULT([$CARGO])
    else
      AC_MSG_RESULT([no])
      AC_MSG_ERROR([--with-cargo=$PHP_CARGO is not an executable])
    fi
  else
    AC_PATH_PROG([CARGO], [cargo], [no], [$PATH$PATH_SEPARATOR$HOME/.cargo/bin])
  fi
  if test "$CARGO" = "no"; then
    AC_MSG_ERROR([cargo not found. flame_kafka is written in Rust and is built with cargo: install a Rust toolchain (rustup, or Debian's cargo and rustc packages), put cargo on PATH or pass --with-cargo=/path/to/cargo, then run configure again])
  fi
  AC_MSG_CHECKING([cargo's version])
  flame_kafka_cargo_version=`"$CARGO" --version 2>&1`
  if test $? -ne 0; then
    AC_MSG_ERROR([$CARGO --version failed: $flame_kafka_cargo_version])
  fi
  AC_MSG_RESULT([$flame_kafka_cargo_version])

  AC_PATH_PROG([FLAME_KAFKA_CMAKE], [cmake], [no])
  if test "$FLAME_KAFKA_CMAKE" = "no"; then
    AC_MSG_ERROR([cmake not found: the bundled librdkafka is built with cmake (Debian: apt-get install cmake)])
  fi

  AC_MSG_CHECKING([for libclang (bindgen generates PHP's bindings with it)])
  flame_kafka_libclang=""
  for d in "$LIBCLANG_PATH" /usr/lib/llvm-*/lib /usr/lib/*-linux-gnu /usr/lib64 /usr/lib /usr/local/lib; do
    if test -n "$d" && ls "$d"/libclang*.so* >/dev/null 2>&1; then
      flame_kafka_libclang="$d"
      break
    fi
  done
  if test -z "$flame_kafka_libclang"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([libclang not found (Debian: apt-get install libclang-dev clang, or set LIBCLANG_PATH)])
  fi
  AC_MSG_RESULT([$flame_kafka_libclang])

  dnl Not PHP_NEW_EXTENSION: no C sources. The module is cargo's output; a
  dnl libtool-style flame_kafka.la names it for PHP's Makefile (make test).
  PHP_MODULES="\$(phplibdir)/flame_kafka.la"
  PHP_ADD_BUILD_DIR([modules])
  FLAME_KAFKA_PHP_CONFIG="$PHP_CONFIG"
  FLAME_KAFKA_TARGET_DIR="$abs_builddir/target"
  PHP_SUBST(CARGO)
  PHP_SUBST(FLAME_KAFKA_CRATE)
  PHP_SUBST(FLAME_KAFKA_PHP_CONFIG)
  PHP_SUBST(FLAME_KAFKA_TARGET_DIR)
  PHP_ADD_MAKEFILE_FRAGMENT([$abs_srcdir/Makefile.frag])
fi
