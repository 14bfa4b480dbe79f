--TEST--
security: ACLs — alice's consumer in a group outside "alice." gets GROUP_AUTHORIZATION_FAILED (30), of a topic outside it TOPIC_AUTHORIZATION_FAILED (29), at the yield; mallory's consumer is refused too
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

$topic = alice_name('t');
run_co(function () use ($topic) {   // the topic exists, with one record
    $p = new flame\db\kafka\producer(secure_conf('alice', null, ['linger.ms' => 0]), [], $topic);
    yield $p->produce('hello');
});

function try_consume(string $user, string $group, string $topic): string
{
    [$e, $secs] = timed_failure(function () use ($user, $group, $topic) {
        $c = new flame\db\kafka\consumer(secure_conf($user, null, ['group.id' => $group, 'enable.auto.commit' => 'false']),
            ['auto.offset.reset' => 'earliest'], $topic);
        $m = yield $c->consume(20000);
        echo "  got: ", $m === null ? 'nothing' : $m->val, "\n";
        if ($m !== null) {
            yield $c->commit($m);
        }
        yield $c->close();
    });
    return $e === null ? 'ok' : get_class($e) . ' code ' . $e->getCode() . ', ' . $e->getMessage() . ', ' . within($secs, 10);
}

$r = try_consume('alice', alice_name('g'), $topic);
echo "alice, group alice.*, topic alice.*: $r\n";
echo "alice, group g_*: ", try_consume('alice', unique_group(), $topic), "\n";
echo "alice, topic orders_*: ", try_consume('alice', alice_name('g'), unique_topic('orders')), "\n";
// mallory has neither topic nor group rights: which refusal comes first is a race
$r = try_consume('mallory', alice_name('g'), $topic);
echo "mallory: ", preg_match('/^flame\\\\db\\\\kafka\\\\exception code (29|30), .*(Group|Topic) authorization failed.*, within 10 s$/', $r)
    ? 'refused (authorization)' : $r, "\n";
?>
--EXPECTF--
  got: hello
alice, group alice.*, topic alice.*: ok
alice, group g_*: flame\db\kafka\exception code 30, consume failed: %sGroup authorization failed%s, within 10 s
alice, topic orders_*: flame\db\kafka\exception code 29, consume failed: %sTopic authorization failed%s, within 10 s
mallory: refused (authorization)
