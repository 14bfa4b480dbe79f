--TEST--
producer: messages still undelivered after flame_kafka.shutdown_timeout_ms at script end are reported once as an E_WARNING with their count
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$child = '<?php
$p = new flame\db\kafka\producer(["bootstrap.servers" => "127.0.0.1:1", "message.timeout.ms" => 60000], [], "t_unreachable");
for ($i = 0; $i < 5; $i++) {
    $p->produce("lost $i");
}
echo "script end\n";
';
$t0 = microtime(true);
[$rc, $out, $err] = run_child_php($child, ['flame_kafka.shutdown_timeout_ms' => 700, 'display_errors' => 'stdout']);
$dt = microtime(true) - $t0;
echo "exit code: $rc\n";
echo "script end printed: ", var_export(str_contains($out, "script end"), true), "\n";
$lines = array_values(array_filter(array_map('trim', explode("\n", $out . "\n" . $err)), fn($l) => str_starts_with($l, 'Warning:')));
$count_warnings = array_values(array_filter($lines, fn($l) => preg_match('/\b5\b/', $l) && str_contains($l, 'shutdown_timeout_ms')));
echo "warnings with the count 5 that name shutdown_timeout_ms: ", count($count_warnings), "\n";
foreach ($count_warnings as $l) {
    echo "  ", preg_replace('/"t_\w+"/', 'TOPIC', $l), "\n";
}
echo "bounded by the timeout: ", var_export($dt < 5, true), "\n";
?>
--EXPECTF--
exit code: 0
script end printed: true
warnings with the count 5 that name shutdown_timeout_ms: 1
  Warning: %s5%s
bounded by the timeout: true
