//! Records build facts shown by `php --ri flame_kafka`: the PHP API the
//! extension was compiled against, the Rust compiler and the build profile.

use std::process::Command;

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn main() {
    let php_config = std::env::var("PHP_CONFIG").unwrap_or_else(|_| "php-config".into());
    let php_version = output(&php_config, &["--version"]).unwrap_or_else(|| "unknown".into());
    let php_api = output(&php_config, &["--phpapi"]).unwrap_or_else(|| "unknown".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = output(&rustc, &["--version"]).unwrap_or_else(|| "rustc (unknown)".into());
    let profile = std::env::var("PROFILE").unwrap_or_else(|_| "unknown".into());
    println!(
        "cargo:rustc-env=FLAME_KAFKA_BUILD_INFO=PHP {php_version} (API {php_api}), {rustc_version}, {profile} profile"
    );
    println!("cargo:rerun-if-env-changed=PHP_CONFIG");
    println!("cargo:rerun-if-changed=build.rs");
}
