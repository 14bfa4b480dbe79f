# flame_kafka: the module is built by cargo (see config.m4). CARGO_TARGET_DIR
# in the environment overrides the target dir (default: ext/target).
.PHONY: flame-kafka-cargo

flame-kafka-cargo:
	@td="$${CARGO_TARGET_DIR:-$(FLAME_KAFKA_TARGET_DIR)}"; \
	echo "flame_kafka: $(CARGO) build --release in $(FLAME_KAFKA_CRATE) (target dir $$td, PHP $(PHP_EXECUTABLE))"; \
	cd "$(FLAME_KAFKA_CRATE)" && \
	PHP="$(PHP_EXECUTABLE)" PHP_CONFIG="$(FLAME_KAFKA_PHP_CONFIG)" CARGO_TARGET_DIR="$$td" \
		"$(CARGO)" build --release --lib $(FLAME_KAFKA_CARGO_FLAGS) || exit 1; \
	mkdir -p "$(phplibdir)" && \
	cp "$$td/release/libflame_kafka.so" "$(phplibdir)/flame_kafka.so.tmp" && \
	mv -f "$(phplibdir)/flame_kafka.so.tmp" "$(phplibdir)/flame_kafka.so"

$(phplibdir)/flame_kafka.la: flame-kafka-cargo
	@printf "%s\n" "# flame_kafka.la: names the module cargo built (config.m4)" \
		"dlname='flame_kafka.so'" "library_names='flame_kafka.so'" "old_library=''" > $@
