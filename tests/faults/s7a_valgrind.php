<?php
/*
 * Scenario 7a: a handful of phpt tests of php-tests/ run under valgrind
 * (memcheck) directly: the --FILE-- section of each is extracted next to a
 * copy of php-tests/inc and run as
 *   USE_ZEND_ALLOC=0 ZEND_DONTUNLOAD_MODULES=1 valgrind --leak-check=full php -n -d pcre.jit=0 ...
 * (run-tests.php -m traces children too, and these tests start the Java
 * topic tool through scripts/kafka.sh: its JIT floods the report with
 * false "invalid writes"; pcre.jit=0 for the same reason with PCRE's JIT.)
 * Suppressions (each with its justification): valgrind.supp for every test
 * (rust-rdkafka's queue handle, 216 bytes per client), plus
 * valgrind-fatal.supp for the tests that end with a PHP fatal error.
 * PASS iff no memcheck error (invalid read/write, uninitialised value,
 * invalid free) and nothing "definitely lost" in any of them.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

$tests = $argv[1] ?? 'runtime_go_run_order,runtime_sleep_resolves_null,runtime_nested_generator_exception,'
    . 'runtime_uncaught_exception_stops_run,runtime_awaitable_shared_waiters,runtime_unobserved_failure_warning,'
    . 'runtime_exit_in_coroutine,runtime_fatal_error_in_coroutine,runtime_thousand_coroutines_concurrent,'
    . 'producer_flush,producer_headers_and_keys_roundtrip,producer_partitioner_callable,'
    . 'producer_shutdown_undelivered_warns,producer_bad_input,consumer_manual_commit,'
    . 'consumer_concurrent_coroutines,kafka_end_to_end,mock_cluster_inject_errors,mock_cluster_bad_arguments';
$src = faults_root() . '/php-tests';
$dir = faults_tmp() . '/valgrind';
@mkdir($dir, 0777, true);
exec('rm -rf ' . escapeshellarg("$dir/inc") . ' && cp -r ' . escapeshellarg("$src/inc") . ' ' . escapeshellarg("$dir/inc"));
$supp = __DIR__ . '/valgrind.supp';                 // every test
$supp_fatal = __DIR__ . '/valgrind-fatal.supp';     // only the tests in $fatal_tests
// tests that end with a PHP fatal error: only these get valgrind-fatal.supp
$fatal_tests = ['runtime_fatal_error_in_coroutine'];

$jobs = [];
foreach (explode(',', $tests) as $t) {
    $phpt = "$src/$t.phpt";
    if (!is_file($phpt)) {
        echo "  (missing: $t.phpt, skipped)\n";
        continue;
    }
    if (!preg_match('/^--FILE--\n(.*?)^--[A-Z]+--$/ms', (string)file_get_contents($phpt), $m)) {
        echo "  (no --FILE-- in $t.phpt, skipped)\n";
        continue;
    }
    file_put_contents("$dir/$t.php", $m[1]);
    $log = "$dir/$t.valgrind.log";
    @unlink($log);
    $cmd = 'env USE_ZEND_ALLOC=0 ZEND_DONTUNLOAD_MODULES=1 KAFKA_BROKERS=' . escapeshellarg(faults_brokers())
        . ' FLAME_KAFKA_ROOT=' . escapeshellarg(faults_root()) . ' FLAME_KAFKA_SO=' . escapeshellarg(faults_ext())
        . ' valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible'
        . ' --errors-for-leak-kinds=definite --num-callers=40 --trace-children=no'
        . ' --suppressions=' . escapeshellarg($supp)
        . (in_array($t, $fatal_tests, true) ? ' --suppressions=' . escapeshellarg($supp_fatal) : '')
        . ' --log-file=' . escapeshellarg($log) . ' '
        . escapeshellarg(PHP_BINARY) . ' -n -d pcre.jit=0 -d display_errors=1 -d memory_limit=1G'
        . ' -d flame_kafka.shutdown_timeout_ms=10000 -d extension=' . escapeshellarg(faults_ext()) . ' ' . escapeshellarg("$dir/$t.php");
    $jobs[] = [$t, $cmd, $log];
}

// two at a time
$results = [];
$running = [];
while ($jobs || $running) {
    while ($jobs && count($running) < 2) {
        [$t, $cmd, $log] = array_shift($jobs);
        $p = proc_open('exec ' . $cmd, [0 => ['file', '/dev/null', 'r'], 1 => ['file', "$dir/$t.out", 'w'], 2 => ['file', "$dir/$t.out", 'a']], $pipes);
        $running[$t] = [$p, $log, microtime(true)];
    }
    usleep(100000);
    foreach ($running as $t => [$p, $log, $t0]) {
        $st = proc_get_status($p);
        if ($st['running'] && microtime(true) - $t0 < 300) {
            continue;
        }
        if ($st['running']) {
            proc_terminate($p, 9);
            $st['exitcode'] = 'timeout';
        }
        proc_close($p);
        $results[$t] = [$st['signaled'] ? 'signal ' . $st['termsig'] : 'exit ' . $st['exitcode'], $log, microtime(true) - $t0];
        unset($running[$t]);
    }
}

$errors_total = $definite_total = 0;
printf("  %-40s %-8s %5s %6s %9s %9s %9s %10s\n", 'test', 'ended', 'secs', 'errors', 'definite', 'indirect', 'possible', 'suppressed');
$details = [];
$sites = [];
foreach ($results as $t => [$end, $log, $secs]) {
    $v = (string)@file_get_contents($log);
    $errors = 0;
    // -q prints only errors and leak records; count error records (not leaks)
    $kinds = [];
    foreach (preg_split('/\n(?===\d+== \S)/', $v) as $block) {
        if (preg_match('/^==\d+== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function)/m', $block, $m)) {
            $errors++;
            $kinds[$m[1]] = ($kinds[$m[1]] ?? 0) + 1;
            $details[] = "$t: " . trim(implode("\n", array_slice(explode("\n", $block), 0, 14)));
        }
    }
    $sum = fn(string $kind) => preg_match("/$kind lost: ([\\d,]+) bytes/", $v, $mm) ? (int)str_replace(',', '', $mm[1]) : 0;
    $definite = $sum('definitely');
    $indirect = $sum('indirectly');
    $possible = $sum('possibly');
    $suppressed = preg_match('/suppressed: ([\\d,]+) bytes/', $v, $mm) ? (int)str_replace(',', '', $mm[1]) : 0;
    if ($definite > 0) {
        // group the "definitely lost" records by where they were allocated
        foreach (preg_split('/\n(?===\d+== \S)/', $v) as $block) {
            if (!preg_match('/([\d,]+) \(([\d,]+) direct|([\d,]+) bytes in [\d,]+ blocks are definitely lost/', $block, $bm)
                || !str_contains($block, 'definitely lost in loss record')) {
                continue;
            }
            $frames = [];
            foreach (explode("\n", $block) as $l) {
                if (preg_match('/(?:at|by) 0x[0-9A-F]+: (.*)$/', $l, $fm)
                    && !preg_match('/^(malloc|calloc|realloc|rd_calloc|rd_malloc|__zend_malloc|alloc|alloc_impl|allocate|box_new|new_uninit)\b/', $fm[1])) {
                    $frames[] = preg_replace('/ \(.*$/', '', $fm[1]);
                }
                if (count($frames) === 3) {
                    break;
                }
            }
            $site = implode(' <- ', $frames);
            $sites[$site]['tests'][$t] = true;
            $sites[$site]['blocks'] = ($sites[$site]['blocks'] ?? 0) + (preg_match('/in ([\d,]+) blocks are definitely/', $block, $nb) ? (int)str_replace(',', '', $nb[1]) : 1);
        }
    }
    $errors_total += $errors;
    $definite_total += $definite;
    printf("  %-40s %-8s %5.1f %6d %9d %9d %9d %10d%s\n", $t, $end, $secs, $errors, $definite, $indirect, $possible, $suppressed,
        $kinds ? '  ' . json_encode($kinds) : '');
}
foreach (array_slice($details, 0, 3) as $d) {   // memcheck errors (not leaks), if any
    echo '    ', str_replace("\n", "\n    ", $d), "\n";
}
foreach ($sites as $site => $info) {
    printf("  definitely lost at: %s\n    %d blocks in %d tests (%s)\n", $site, $info['blocks'], count($info['tests']), implode(', ', array_keys($info['tests'])));
}
figure('tests under valgrind', count($results));
figure('memcheck errors', $errors_total);
figure('bytes definitely lost', $definite_total);
figure('logs', $dir);
$ok = count($results) > 0 && $errors_total === 0 && $definite_total === 0;
result($ok, $ok ? count($results) . ' tests: no memcheck error, nothing definitely lost' : "errors=$errors_total definitely_lost=$definite_total");
