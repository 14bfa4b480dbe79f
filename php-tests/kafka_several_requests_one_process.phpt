--TEST--
several requests in one PHP process (the built-in web server): messages still in flight when a request ends never touch the next request's memory, and each request produces normally
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$dir = sys_get_temp_dir() . '/flame_kafka_srv_' . getmypid();
@mkdir($dir);
$b = brokers();
$topic = unique_topic();
file_put_contents("$dir/index.php", <<<PHP
<?php
ini_set('flame_kafka.shutdown_timeout_ms', 200);
if ((\$_GET['m'] ?? '') === 'lost') {
    // an unreachable broker: every message is still in flight when the request ends,
    // awaited ones (kept in an array) and statement ones; the producer sits in a cycle
    // so that it is only freed after the request's shutdown hooks ran
    \$p = new flame\\db\\kafka\\producer(['bootstrap.servers' => '127.0.0.1:1', 'log_level' => 0], [], 'nowhere');
    \$keep = [];
    for (\$i = 0; \$i < 50; \$i++) {
        \$keep[] = \$p->produce(str_repeat('k', 40) . \$i, "key\$i");
        \$p->produce("statement \$i");
    }
    \$GLOBALS['cycle'] = [\$p, &\$GLOBALS['cycle']];
    echo "lost: request ends\n";
} else {
    \$p = new flame\\db\\kafka\\producer(['bootstrap.servers' => '$b'], [], '$topic');
    \$m = \$p->produce('hello ' . \$_GET['n'], 'k')->wait();
    echo "ok: ", \$m->val, " stored\n";
}
PHP);

// a free port
$s = stream_socket_server('tcp://127.0.0.1:0');
$port = (int)substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
fclose($s);
$cmd = [PHP_BINARY, '-n', '-d', 'extension=' . flame_kafka_so(), '-S', "127.0.0.1:$port", "$dir/index.php"];
$server = proc_open($cmd, [1 => ['file', "$dir/server.out", 'w'], 2 => ['file', "$dir/server.err", 'w']], $pipes);
$up = false;
for ($i = 0; $i < 100 && !$up; $i++) {
    usleep(100000);
    $c = @fsockopen('127.0.0.1', $port);
    if ($c) { fclose($c); $up = true; }
}
echo "server up: ", var_export($up, true), "\n";
$n = 0;
foreach (['lost', 'ok', 'lost', 'lost', 'ok', 'ok'] as $m) {
    $body = @file_get_contents("http://127.0.0.1:$port/?m=$m&n=" . (++$n));
    // the end-of-request warning with the count is part of the response
    echo $body === false ? "request $n failed\n" : trim(preg_replace('/<[^>]+>/', '', $body)), "\n";
}
$st = proc_get_status($server);
echo "server still running after 6 requests: ", var_export($st['running'], true), "\n";
proc_terminate($server, SIGINT);
proc_close($server);
$err = (string)@file_get_contents("$dir/server.err");
echo "server crashed: ", var_export(str_contains($err, 'Segmentation') || str_contains($err, 'panicked'), true), "\n";
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECTF--
server up: true
lost: request ends

Warning:  flame\db\kafka\producer: 100 message(s) to topic "nowhere" could not be delivered within flame_kafka.shutdown_timeout_ms=200 and are lost in Unknown on line 0
ok: hello 2 stored
lost: request ends

Warning:  flame\db\kafka\producer: 100 message(s) to topic "nowhere" could not be delivered within flame_kafka.shutdown_timeout_ms=200 and are lost in Unknown on line 0
lost: request ends

Warning:  flame\db\kafka\producer: 100 message(s) to topic "nowhere" could not be delivered within flame_kafka.shutdown_timeout_ms=200 and are lost in Unknown on line 0
ok: hello 5 stored
ok: hello 6 stored
server still running after 6 requests: true
server crashed: false
