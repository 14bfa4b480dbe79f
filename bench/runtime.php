<?php
// Scheduler microbenchmark: how many awaitable resumptions per second the
// coroutine runtime does, with no Kafka involved.
//   php -d extension=modules/flame_kafka.so bench/runtime.php [coroutines] [yields] [runs]
$coroutines = (int)($argv[1] ?? 100);
$yields     = (int)($argv[2] ?? 1000);
$runs       = (int)($argv[3] ?? 5);

function median(array $xs): float { sort($xs); $n = count($xs); return $n % 2 ? $xs[intdiv($n, 2)] : ($xs[$n/2 - 1] + $xs[$n/2]) / 2; }

/** Resumptions per second of $coroutines copies of $co, one rate per run. */
function rates(int $runs, int $coroutines, int $yields, Closure $co): array
{
    $rates = [];
    for ($r = 0; $r < $runs; $r++) {
        $t = hrtime(true);
        for ($c = 0; $c < $coroutines; $c++) {
            flame\go($co);
        }
        flame\run();
        $rates[] = $coroutines * $yields / ((hrtime(true) - $t) / 1e9);
    }
    return $rates;
}

// 1. awaitables that resolve through the completion channel (sleep(0)):
//    completion channel -> scheduler -> Generator::send.
$awaitRates = rates($runs, $coroutines, $yields, function () use ($yields) {
    for ($i = 0; $i < $yields; $i++) {
        yield flame\time\sleep(0);
    }
});

// 2. plain value yields: the scheduler's own cost per resumption.
$plainRates = rates($runs, $coroutines, $yields, function () use ($yields) {
    for ($i = 0; $i < $yields; $i++) {
        yield $i;
    }
});

printf("flame_kafka runtime benchmark: %d coroutines x %d yields, %d runs (median)\n", $coroutines, $yields, $runs);
printf("%-44s %12s\n", "workload", "resumptions/s");
printf("%-44s %12.0f\n", "yield flame\\time\\sleep(0) (completion channel)", median($awaitRates));
printf("%-44s %12.0f\n", "yield <plain value> (scheduler only)", median($plainRates));
