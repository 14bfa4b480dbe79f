<?php
/*
 * Child of scenario 3: produces $n messages "$variant:$i" to $topic without
 * waiting and without flush(), prints "SENT <n>" and then ends the script the
 * way $variant says.
 */
[, $brokers, $topic, $n, $variant] = $argv;
$n = (int)$n;

function send_all(flame\db\kafka\producer $p, int $n, string $variant): void
{
    for ($i = 0; $i < $n; $i++) {
        $p->produce("$variant:$i", (string)$i);
    }
    echo "SENT $n\n";
    fflush(STDOUT);
}

[$where, $how] = explode('-', $variant, 2);
if ($where === 'shutdown') {
    // a shutdown function registered BEFORE the producer exists ends the
    // request its own way (PHP skips the shutdown functions after an exit())
    register_shutdown_function(function () use ($how) {
        if ($how === 'exit') {
            exit(0);
        }
        throw new RuntimeException('thrown by a shutdown function');
    });
    $where = 'top';
    $how = 'normal';
}
if ($where === 'destructor') {
    // an object destroyed at the end calls exit() in its destructor
    $GLOBALS['guard'] = new class {
        public function __destruct() { exit(0); }
    };
    $where = 'top';
}
$p = new flame\db\kafka\producer(['bootstrap.servers' => $brokers, 'linger.ms' => 50], [], $topic);

$end = function () use ($how) {
    switch ($how) {
        case 'normal':
            return;
        case 'exit':
            exit(0);
        case 'exit3':
            exit(3);
        case 'exception':
            throw new RuntimeException('uncaught on purpose');
        case 'fatal':
            /** @noinspection PhpUndefinedFunctionInspection */
            this_function_does_not_exist();
            return;
        case 'oom':
            ini_set('memory_limit', '16M');
            $a = [];
            while (true) {
                $a[] = str_repeat('x', 1 << 20);
            }
        case 'unset':
            return;
    }
    throw new LogicException("unknown end $how");
};

if ($where === 'top') {
    send_all($p, $n, $variant);
    if ($how === 'unset') {
        unset($p);   // destroying the producer flushes it
        echo "UNSET DONE\n";
    }
    $end();
} elseif ($where === 'co' || $where === 'autorun') {
    // inside a coroutine; 'autorun': flame\run() is never called (runs at the end)
    flame\go(function () use ($p, $n, $variant, $end) {
        send_all($p, $n, $variant);
        yield flame\time\sleep(1);
        $end();
    });
    if ($where === 'co') {
        flame\run();
    }
}
