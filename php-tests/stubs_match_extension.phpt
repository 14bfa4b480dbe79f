--TEST--
stubs/flame_kafka.stub.php describes exactly the flame\ API of the loaded extension (names, parameters, optionality, defaults, types)
--FILE--
<?php
require __DIR__ . '/inc/runtime_api_describe.inc';
$root = getenv('FLAME_KAFKA_ROOT') ?: dirname(__DIR__);
$stub = $root . '/stubs/flame_kafka.stub.php';

// The stub is loaded in a child process without the extension (same names).
$cmd = [PHP_BINARY, '-n', '-d', 'display_errors=stderr', '-d', 'error_reporting=-1',
    __DIR__ . '/inc/runtime_api_describe.inc', $stub];
$proc = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$json = stream_get_contents($pipes[1]);
$err = stream_get_contents($pipes[2]);
fclose($pipes[1]);
fclose($pipes[2]);
$status = proc_close($proc);
if ($status !== 0 || $err !== '') {
    echo "loading the stub failed (exit status $status):\n$err\n";
    exit;
}
$from_stub = json_decode($json, true, 512, JSON_THROW_ON_ERROR);
$from_ext = runtime_api_of_extension('flame_kafka');

$diff = runtime_api_compare($from_ext, $from_stub);
foreach ($diff as $line) {
    echo $line, "\n";
}
echo $diff ? "stubs DIFFER" : "stubs match",
    ": {$from_ext['functions']} functions, {$from_ext['classes']} classes",
    " (stub: {$from_stub['functions']} functions, {$from_stub['classes']} classes)\n";
?>
--EXPECT--
stubs match: 7 functions, 8 classes (stub: 7 functions, 8 classes)
