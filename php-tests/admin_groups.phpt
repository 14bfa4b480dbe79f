--TEST--
admin: list_groups and describe_group see a live consumer (state, assignor, client id, host, its assignment as topic_partition); delete_group refuses a group with members (68) and deletes an empty one
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

$topic = unique_topic('adm');
$group = unique_group('adm');
$admin = new flame\db\kafka\admin(['bootstrap.servers' => brokers()]);
run_co(function () use ($admin, $topic, $group) {
    yield $admin->create_topic($topic, 2);
    $p = new flame\db\kafka\producer(producer_conf(), [], $topic);
    yield $p->produce('hello');
    $c = earliest_consumer($topic, $group, ['client.id' => 'admin-test-member']);
    $m = yield $c->consume(20000);
    echo "consumed: ", $m === null ? 'nothing' : $m->val, "\n";

    $groups = yield $admin->list_groups();
    echo "listed: ", var_export(in_array($group, $groups, true), true), ", a list: ", var_export(array_is_list($groups), true), "\n";

    $d = yield $admin->describe_group($group);
    echo "keys: ", implode(',', array_keys($d)), "\n";
    echo "state {$d['state']}, protocol {$d['protocol']}, members ", count($d['members']), "\n";
    $member = $d['members'][0];
    echo "client_id {$member['client_id']}, host ", preg_match('~^/?127\.0\.0\.1$~', $member['host']) ? 'loopback' : $member['host'],
        ", member_id ", $member['member_id'] !== '' ? 'set' : 'empty', "\n";
    $parts = array_map(fn($tp) => get_class($tp) . "({$tp->partition})", $member['assignment']);
    sort($parts);
    echo "assignment: ", implode(' ', $parts), ", topic ", $member['assignment'][0]->topic === $topic ? 'ours' : 'other', "\n";

    try {
        yield $admin->delete_group($group);
        echo "deleted with a member?\n";
    } catch (flame\db\kafka\exception $e) {
        echo "delete live group: code ", $e->getCode(), ": ", str_replace($group, 'GROUP', $e->getMessage()), "\n";
    }
    yield $c->close();
    $d = yield $admin->describe_group($group);
    echo "after close: state {$d['state']}, members ", count($d['members']), "\n";
    var_dump(yield $admin->delete_group($group));
    $groups = yield $admin->list_groups();
    echo "listed after delete: ", var_export(in_array($group, $groups, true), true), "\n";
    try {
        yield $admin->delete_group($group);
    } catch (flame\db\kafka\exception $e) {
        echo "delete again: code ", $e->getCode(), "\n";
    }
    try {
        yield $admin->describe_group($group);
        echo "described a deleted group?\n";
    } catch (flame\db\kafka\exception $e) {
        echo "describe missing: code ", $e->getCode(), ": ", str_replace($group, 'GROUP', $e->getMessage()), "\n";
    }
    yield $admin->delete_topic($topic);
});
?>
--EXPECT--
consumed: hello
listed: true, a list: true
keys: state,protocol,members
state Stable, protocol range, members 1
client_id admin-test-member, host loopback, member_id set
assignment: flame\db\kafka\topic_partition(0) flame\db\kafka\topic_partition(1), topic ours
delete live group: code 68: flame\db\kafka\admin::delete_group(GROUP): Broker: The group is not empty
after close: state Empty, members 0
NULL
listed after delete: false
delete again: code 69
describe missing: code 69: flame\db\kafka\admin::describe_group(GROUP): Broker: The group id does not exist: no such group (state Dead)
