--TEST--
consumer: rebalance_cb with "cooperative-sticky" sees incremental assign/revoke (only the partitions that move) when a second member joins and leaves
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';
require __DIR__ . '/inc/consumer.php';

rebalance_scenario(['partition.assignment.strategy' => 'cooperative-sticky', 'heartbeat.interval.ms' => 500, 'session.timeout.ms' => 6000]);
?>
--EXPECT--
A alone: 0,1
A with B: 1 partition(s), B: 1, together: 0,1
A after B left: 0,1
messages received: 60 of 60
A's rebalance_cb: assign(2) revoke(1) assign(1) revoke(2)
B's rebalance_cb: assign(1) revoke(1)
