--TEST--
security: the right SCRAM-SHA-512 password over TLS works for produce, consume and commit (alice on alice.*, admin anywhere)
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$topic = alice_name('orders');
$group = alice_name('group');

run_co(function () use ($topic, $group) {
    // alice may create (auto-create) and write topics prefixed "alice."
    $p = new flame\db\kafka\producer(secure_conf('alice', null, ['linger.ms' => 0]), [], $topic);
    for ($i = 1; $i <= 3; $i++) {
        $m = yield $p->produce("order $i", "k$i");
        echo "produced: {$m->val} at offset {$m->offset}\n";
    }
    yield $p->flush();

    // ... read them in a group prefixed "alice.", committing after each
    $c = new flame\db\kafka\consumer(secure_conf('alice', null, ['group.id' => $group, 'enable.auto.commit' => 'false']),
        ['auto.offset.reset' => 'earliest'], $topic);
    for ($i = 1; $i <= 3; $i++) {
        $m = yield $c->consume(20000);
        echo "consumed: ", $m === null ? 'nothing' : "{$m->val} ({$m->key})", "\n";
        if ($m !== null) {
            yield $c->commit($m);
        }
    }
    echo "committed\n";
    yield $c->close();

    // the group's committed offset holds: a new member starts after it
    $p2 = new flame\db\kafka\producer(secure_conf('alice', null, ['linger.ms' => 0]), [], $topic);
    yield $p2->produce("order 4");
    $c2 = new flame\db\kafka\consumer(secure_conf('alice', null, ['group.id' => $group, 'enable.auto.commit' => 'false']),
        ['auto.offset.reset' => 'earliest'], $topic);
    $m = yield $c2->consume(20000);
    echo "same group resumes at: ", $m === null ? 'nothing' : "{$m->val} (offset {$m->offset})", "\n";
    yield $c2->close();

    // admin is a super user: any topic
    $a = new flame\db\kafka\producer(secure_conf('admin', null, ['linger.ms' => 0]), [], unique_topic('admin_only'));
    $m = yield $a->produce("from admin");
    echo "admin produced at offset {$m->offset}\n";
});
echo "done\n";
?>
--EXPECT--
produced: order 1 at offset 0
produced: order 2 at offset 1
produced: order 3 at offset 2
consumed: order 1 (k1)
consumed: order 2 (k2)
consumed: order 3 (k3)
committed
same group resumes at: order 4 (offset 3)
admin produced at offset 0
done
