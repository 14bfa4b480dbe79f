--TEST--
admin: describe_config gives name => value; alter_config changes only the given names (null reverts one to the default); an invalid value or name is refused by the broker with its reason
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic) {
    yield $admin->create_topic($topic, 1, -1, ['retention.ms' => 3600000, 'cleanup.policy' => 'compact']);
    $show = function (string $when) use ($admin, $topic) {
        $c = yield $admin->describe_config($topic);
        echo "$when: retention.ms={$c['retention.ms']} cleanup.policy={$c['cleanup.policy']} max.message.bytes={$c['max.message.bytes']}\n";
        return $c;
    };
    $before = yield $show('created');
    echo "entries: ", count($before) > 20 ? 'many' : count($before), "\n";

    var_dump(yield $admin->alter_config($topic, ['retention.ms' => 7200000, 'max.message.bytes' => '200000']));
    $after = yield $show('altered');
    // Nothing else moved.
    $changed = array_keys(array_diff_assoc($after, $before));
    sort($changed);
    echo "changed: ", implode(',', $changed), "\n";

    yield $admin->alter_config($topic, ['retention.ms' => null]);
    yield $show('retention.ms reverted');

    try {
        yield $admin->alter_config($topic, ['retention.ms' => 'soon']);
    } catch (flame\db\kafka\exception $e) {
        echo "bad value: code ", $e->getCode(), ": ", str_replace($topic, 'TOPIC', $e->getMessage()), "\n";
    }
    try {
        yield $admin->alter_config($topic, ['no.such.config' => 1]);
    } catch (flame\db\kafka\exception $e) {
        echo "bad name: code ", $e->getCode(), "\n";
    }
    try {
        yield $admin->describe_config($topic . '_missing');
    } catch (flame\db\kafka\exception $e) {
        echo "missing topic: code ", $e->getCode(), "\n";
    }
    yield $show('after refusals');
    yield $admin->delete_topic($topic);
});
?>
--EXPECTF--
created: retention.ms=3600000 cleanup.policy=compact max.message.bytes=1048588
entries: many
NULL
altered: retention.ms=7200000 cleanup.policy=compact max.message.bytes=200000
changed: max.message.bytes,retention.ms
retention.ms reverted: retention.ms=604800000 cleanup.policy=compact max.message.bytes=200000
bad value: code 40: flame\db\kafka\admin::alter_config(TOPIC): Broker: Configuration is invalid: %s
bad name: code %d
missing topic: code 3
after refusals: retention.ms=604800000 cleanup.policy=compact max.message.bytes=200000
