--TEST--
producer: flame.persistent keeps the librdkafka client across requests of one process (PHP's built-in web server): an identical configuration reuses it (same librdkafka instance name), a different one does not; each request still flushes its own messages (in flight at the end, exit(), a fatal error, max_execution_time) and counts only its own undelivered ones
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$dir = sys_get_temp_dir() . '/flame_kafka_persist_' . getmypid();
@mkdir($dir);
$b = brokers();
$topic = unique_topic('persist');
create_topic($topic, 1);
file_put_contents("$dir/index.php", <<<PHP
<?php
\$mode = \$_GET['m'];
\$opts = ['bootstrap.servers' => '$b', 'flame.persistent' => true];
switch (\$mode) {
case 'lost':
case 'lost2':
    ini_set('flame_kafka.shutdown_timeout_ms', 300);
    // nothing listens there: every message is still queued when the request ends
    \$p = new flame\\db\\kafka\\producer(['bootstrap.servers' => '127.0.0.1:1', 'log_level' => 0, 'flame.persistent' => 'true'], [], 'nowhere');
    \$n = \$mode === 'lost' ? 10 : 3;
    for (\$i = 0; \$i < \$n; \$i++) {
        \$p->produce("lost \$i");
    }
    echo "\$mode: ", \$p->name(), " request ends with \$n queued\\n";
    break;
case 'other':
    // a different configuration: a client of its own
    \$p = new flame\\db\\kafka\\producer(\$opts + ['linger.ms' => 7], [], '$topic');
    \$m = \$p->produce('other')->wait();
    echo "other: ", \$p->name(), " offset ", \$m->offset >= 0 ? 'ok' : 'BAD', "\\n";
    break;
case 'plain':
    \$p = new flame\\db\\kafka\\producer(['bootstrap.servers' => '$b'], [], '$topic');
    \$m = \$p->produce('plain ' . \$_GET['n'])->wait();
    echo "plain: ", \$p->name(), "\\n";
    break;
default:
    \$p = new flame\\db\\kafka\\producer(\$opts, [], '$topic');
    \$m = \$p->produce("\$mode awaited")->wait();
    echo "\$mode: ", \$p->name(), " awaited offset ", \$m->offset >= 0 ? 'ok' : 'BAD', "\\n";
    // five more still in flight when the request ends, ended in different ways
    \$keep = [];
    for (\$i = 0; \$i < 5; \$i++) {
        \$keep[] = \$p->produce("\$mode in flight \$i");
    }
    if (\$mode === 'exit') {
        exit("exit() with 5 in flight\\n");
    }
    if (\$mode === 'fatal') {
        echo "fatal error with 5 in flight\\n";
        undefined_function();
    }
    if (\$mode === 'timeout') {
        echo "max_execution_time with 5 in flight\\n";
        set_time_limit(1);
        while (true) {}
    }
}
PHP);

$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$cmd = [PHP_BINARY, '-n', '-d', 'extension=' . flame_kafka_so(), '-d', 'display_errors=1', '-d', 'html_errors=0',
    '-S', "127.0.0.1:$port", "$dir/index.php"];
$server = proc_open($cmd, [1 => ['file', "$dir/server.out", 'w'], 2 => ['file', "$dir/server.err", 'w']], $pipes);
$up = false;
for ($i = 0; $i < 100 && !$up; $i++) {
    usleep(100000);
    $c = @fsockopen('127.0.0.1', $port);
    if ($c) { fclose($c); $up = true; }
}
echo "server up: ", var_export($up, true), "\n";
$names = [];
foreach (['first', 'second', 'other', 'plain', 'exit', 'fatal', 'timeout', 'lost', 'lost2', 'plain', 'last'] as $n => $m) {
    $body = @file_get_contents("http://127.0.0.1:$port/?m=$m&n=$n");
    $body = $body === false ? "request $m failed" : trim($body);
    // librdkafka instance names (rdkafka#producer-N) → letters in order of appearance
    $body = preg_replace_callback('/rdkafka#producer-\d+/', function ($x) use (&$names) {
        $names[$x[0]] ??= 'client ' . chr(ord('A') + count($names));
        return $names[$x[0]];
    }, $body);
    echo str_replace($dir, "DIR", $body), "\n";
}
$st = proc_get_status($server);
echo "server still running: ", var_export($st['running'], true), "\n";
proc_terminate($server, SIGINT);
proc_close($server);
$err = (string)@file_get_contents("$dir/server.err");
echo "server crashed: ", var_export(str_contains($err, 'Segmentation') || str_contains($err, 'panicked'), true), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);

// every acknowledged and every in-flight message is in the topic, once
$got = run_co(fn() => read_topic($topic, 39));
$vals = array_map(fn($m) => $m->val, $got);
sort($vals);
echo count($vals), " records, ", count(array_unique($vals)), " distinct\n";
echo implode("\n", array_filter($vals, fn($v) => str_contains($v, 'in flight 4') || !str_contains($v, 'in flight'))), "\n";
?>
--EXPECTF--
server up: true
first: client A awaited offset ok
second: client A awaited offset ok
other: client B offset ok
plain: client C
exit: client A awaited offset ok
exit() with 5 in flight
fatal: client A awaited offset ok
fatal error with 5 in flight

Fatal error: Uncaught Error: Call to undefined function undefined_function() in DIR/index.php:%d
Stack trace:
#0 {main}
  thrown in DIR/index.php on line %d
timeout: client A awaited offset ok
max_execution_time with 5 in flight

Fatal error: Maximum execution time of 1 second exceeded in DIR/index.php on line %d
lost: client D request ends with 10 queued

Warning: flame\db\kafka\producer: 10 message(s) to topic "nowhere" could not be delivered within flame_kafka.shutdown_timeout_ms=300 and are lost in Unknown on line 0
lost2: client D request ends with 3 queued

Warning: flame\db\kafka\producer: 3 message(s) to topic "nowhere" could not be delivered within flame_kafka.shutdown_timeout_ms=300 and are lost in Unknown on line 0
plain: client E
last: client A awaited offset ok
server still running: true
server crashed: false
39 records, 39 distinct
exit awaited
exit in flight 4
fatal awaited
fatal in flight 4
first awaited
first in flight 4
last awaited
last in flight 4
other
plain 3
plain 9
second awaited
second in flight 4
timeout awaited
timeout in flight 4
