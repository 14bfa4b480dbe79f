<?php
/*
 * Scenario 5: the bad-input catalogue (s5_cases.php), each case in its own
 * child PHP. PASS iff no case crashed or hung, every 'throw' case threw a
 * Throwable, and every 'ok' case returned.
 */
declare(strict_types=1);
require __DIR__ . '/lib.php';

exec(php_cmd(__DIR__ . '/s5_cases.php', ['list']), $names, $rc);
$n = $threw = $returned = $exited = 0;
$bad = [];
foreach ($names as $name) {
    $n++;
    $r = run_child(__DIR__ . '/s5_cases.php', ['run', $name], [], 30.0);
    preg_match('/^EXPECT (\w+)/m', $r['out'], $m);
    $expect = $m[1] ?? '?';
    $line = preg_match('/^(THREW|RETURNED) (.*)$/m', $r['out'], $m) ? $m : null;
    if ($r['signal'] || $r['timed_out']) {
        $verdict = 'CRASH';
        $what = child_end($r);
    } elseif ($line === null) {
        $exited++;
        $verdict = $expect === 'exit' ? 'ok' : 'BAD';
        $first_err = strtok(trim($r['err']) ?: '-', "\n");
        $what = child_end($r) . ' without returning: ' . $first_err;
    } else {
        $line[1] === 'THREW' ? $threw++ : $returned++;
        $verdict = match ($expect) {
            'throw' => $line[1] === 'THREW' ? 'ok' : 'BAD',
            'ok' => $line[1] === 'RETURNED' ? 'ok' : 'BAD',
            'any' => 'ok',
            default => 'BAD',
        };
        $what = $line[1] . ' ' . $line[2];
    }
    printf("  %-4s %-46s %s\n", $verdict, $name, $what);
    if ($verdict !== 'ok') {
        $bad[] = "$name ($verdict: $what)";
    }
}
figure('cases', $n);
figure('threw a Throwable', $threw);
figure('returned (documented / any)', $returned);
figure('ended the process (expected)', $exited);
figure('crashed or hung', count(array_filter($bad, fn($x) => str_contains($x, 'CRASH'))));
result($bad === [], $bad === [] ? "$n cases, no crash, every case as expected" : count($bad) . ' bad: ' . implode('; ', $bad));
