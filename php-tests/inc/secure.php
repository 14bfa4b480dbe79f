<?php
/*
 * Helpers for the security phpt tests (php-tests/security_*), against the
 * secured broker of `scripts/kafka.sh secure start` (SASL_SSL, SCRAM-SHA-512,
 * TLS with its own CA, StandardAuthorizer with ACLs; `make test-php` starts it).
 * Include with:
 *
 *     require __DIR__ . '/inc/secure.php';
 *
 * Settings come from `scripts/kafka.sh secure env`. A missing secure broker
 * makes the test fail (the exception below), never skip.
 */

declare(strict_types=1);

require_once __DIR__ . '/kafka.php';

/** `scripts/kafka.sh secure env`, parsed once: FLAME_SECURE_* => value. */
function secure_env(): array
{
    static $env = null;
    if ($env !== null) {
        return $env;
    }
    $cmd = escapeshellarg(flame_kafka_root() . '/scripts/kafka.sh') . ' secure env 2>&1';
    exec($cmd, $out, $rc);
    if ($rc !== 0) {
        throw new RuntimeException('no secure broker: ' . implode("\n", $out));
    }
    $env = [];
    foreach ($out as $line) {
        if (!preg_match('/^(FLAME_SECURE_[A-Z_]+)=([A-Za-z0-9_.\/:,+@-]*)$/', $line, $m)) {
            throw new RuntimeException("unexpected line from kafka.sh secure env: $line");
        }
        $env[$m[1]] = $m[2];
    }
    foreach (['BROKERS', 'CA', 'UNTRUSTED_CA', 'ALICE_PASSWORD', 'MALLORY_PASSWORD', 'ADMIN_PASSWORD'] as $k) {
        if (($env["FLAME_SECURE_$k"] ?? '') === '') {
            throw new RuntimeException("kafka.sh secure env: FLAME_SECURE_$k missing");
        }
    }
    return $env;
}

function secure_get(string $name): string
{
    return secure_env()["FLAME_SECURE_$name"];
}

/** The password of a broker user (admin, alice, mallory). */
function secure_password(string $user): string
{
    return secure_get(strtoupper($user) . '_PASSWORD');
}

/**
 * Global options of a SASL_SSL client as $user. $password defaults to the
 * user's real one; $extra overrides anything (e.g. ssl.ca.location).
 */
function secure_conf(string $user, ?string $password = null, array $extra = []): array
{
    return $extra + [
        'bootstrap.servers' => secure_get('BROKERS'),
        'security.protocol' => 'SASL_SSL',
        'sasl.mechanisms' => 'SCRAM-SHA-512',
        'sasl.username' => $user,
        'sasl.password' => $password ?? secure_password($user),
        'ssl.ca.location' => secure_get('CA'),
    ];
}

/** A fresh name under alice's ACL prefix ("alice.") or outside it. */
function alice_name(string $what): string
{
    return 'alice.' . $what . '_' . bin2hex(random_bytes(5));
}

/**
 * Runs $fn() as a coroutine and returns [the Throwable it threw or null, seconds it took].
 */
function timed_failure(callable $fn): array
{
    $t0 = microtime(true);
    try {
        run_co($fn);
        return [null, microtime(true) - $t0];
    } catch (Throwable $e) {
        return [$e, microtime(true) - $t0];
    }
}

/** "ok" when $secs <= $bound, else the measured figure (so the diff shows it). */
function within(float $secs, float $bound): string
{
    return $secs <= $bound ? "within {$bound} s" : sprintf('NOT within %s s (%.2f s)', $bound, $secs);
}

/** A logger that collects every librdkafka line and error event into $lines. */
function collect_log(array &$lines): void
{
    flame\db\kafka\logger(function (int $level, string $facility, string $message, string $client) use (&$lines) {
        $lines[] = "$level $facility $message $client";
    });
}

/** How many times any of $secrets occurs in $text. */
function count_secrets(string $text, array $secrets): int
{
    $n = 0;
    foreach ($secrets as $s) {
        if ($s !== '') {
            $n += substr_count($text, $s);
        }
    }
    return $n;
}
