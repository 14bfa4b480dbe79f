--TEST--
consumer: rebalance_cb (eager assignor "range") sees assign/revoke on the PHP thread when a second member joins and leaves; nothing is lost
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

rebalance_scenario(['partition.assignment.strategy' => 'range', 'heartbeat.interval.ms' => 500, 'session.timeout.ms' => 6000]);
?>
--EXPECT--
A alone: 0,1
A with B: 1 partition(s), B: 1, together: 0,1
A after B left: 0,1
messages received: 60 of 60
A's rebalance_cb: assign(2) revoke(2) assign(1) revoke(1) assign(2) revoke(2)
B's rebalance_cb: assign(1) revoke(1)
