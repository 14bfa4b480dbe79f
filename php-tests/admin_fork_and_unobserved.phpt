--TEST--
admin: an admin made before pcntl_fork() throws in the child saying so (a new one works there); a failed request nobody waits on is an E_WARNING naming it
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
$topic = unique_topic('adm');
$admin->create_topic($topic)->wait();

$report = tempnam(sys_get_temp_dir(), 'flame_admin_fork_');
$pid = pcntl_fork();
if ($pid === 0) {
    $out = [];
    try {
        $admin->metadata($topic);
        $out[] = "old admin: no exception";
    } catch (Throwable $e) {
        $out[] = "old admin: " . get_class($e) . ": " . preg_replace('/\d+/', 'N', $e->getMessage());
    }
    $fresh = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
    $out[] = "new admin: " . count($fresh->metadata($topic)->wait()['topics'][$topic]['partitions']) . " partition";
    file_put_contents($report, implode("\n", $out) . "\n");
    exit(0);
}
pcntl_waitpid($pid, $status);
echo file_get_contents($report);
unlink($report);
echo "parent still works: ", count($admin->metadata($topic)->wait()['topics'][$topic]['partitions']), " partition\n";

// Nobody waits on it: the refusal is reported when it arrives.
flame\go(function () use ($admin, $topic) {
    $admin->create_topic($topic);
    yield flame\time\sleep(3000);
    echo "slept\n";
});
flame\run();
$admin->delete_topic($topic)->wait();
?>
--EXPECTF--
old admin: flame\db\kafka\exception: this flame\db\kafka\admin was created in process N and cannot be used in forked process N: librdkafka's threads do not survive fork(); create a new flame\db\kafka\admin in the child
new admin: 1 partition
parent still works: 1 partition

Warning: flame: unobserved failure of flame\db\kafka\admin::create_topic(): flame\db\kafka\admin::create_topic(%s): Broker: Topic already exists: Topic '%s' already exists. in %s on line %d
slept
