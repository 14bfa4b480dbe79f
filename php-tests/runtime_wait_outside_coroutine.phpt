--TEST--
flame\awaitable::wait() in a plain script blocks until resolved and returns the value; ready() is false, then true
--FILE--
<?php
$t0 = hrtime(true);
$a = flame\time\sleep(50);
var_dump($a instanceof flame\awaitable);
var_dump($a->ready());
var_dump($a->wait());
$ms = (hrtime(true) - $t0) / 1e6;
echo $ms >= 50 ? "wait() returned after at least 50 ms\n" : "wait() returned after only $ms ms\n";
var_dump($a->ready());
// Waiting again returns the same value at once.
$t0 = hrtime(true);
var_dump($a->wait());
$ms = (hrtime(true) - $t0) / 1e6;
echo $ms < 20 ? "second wait() at once\n" : "second wait() took $ms ms\n";

// ready() becomes true by itself once the time has passed and the scheduler had a chance to look.
$b = flame\time\sleep(10);
var_dump($b->ready());
flame\time\sleep(30)->wait();
var_dump($b->ready());
var_dump(flame\time\sleep(0)->wait());
?>
--EXPECT--
bool(true)
bool(false)
NULL
wait() returned after at least 50 ms
bool(true)
NULL
second wait() at once
bool(false)
bool(true)
NULL
