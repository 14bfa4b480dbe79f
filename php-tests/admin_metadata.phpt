--TEST--
admin: metadata() without a topic lists every topic (ours with its partitions); an unknown topic is reported with error 3 and not created; wait() works in a plain script
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$a = unique_topic('adm');
$b = unique_topic('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
$admin->create_topic($a, 2)->wait();
$admin->create_topic($b, 4)->wait();

$md = $admin->metadata()->wait();
echo "keys: ", implode(',', array_keys($md)), "\n";
echo "$a: ", count($md['topics'][$a]['partitions']), " partitions\n";
echo "$b: ", count($md['topics'][$b]['partitions']), " partitions\n";
echo "more topics than ours: ", var_export(count($md['topics']) >= 2, true), "\n";
echo "partition keys: ", implode(',', array_keys($md['topics'][$b]['partitions'][0])), "\n";

$missing = unique_topic('adm_missing');
$md = $admin->metadata($missing)->wait();
echo "missing: error ", $md['topics'][$missing]['error'], ", partitions ", count($md['topics'][$missing]['partitions']), "\n";
// Asking did not create it (the broker auto-creates topics on request).
usleep(500000);
$md = $admin->metadata()->wait();
echo "missing created: ", var_export(isset($md['topics'][$missing]), true), "\n";

$admin->delete_topic($a)->wait();
$admin->delete_topic($b)->wait();
?>
--EXPECTF--
keys: brokers,controller_id,topics
adm_%s: 2 partitions
adm_%s: 4 partitions
more topics than ours: true
partition keys: id,leader,replicas,isrs
missing: error 3, partitions 0
missing created: false
