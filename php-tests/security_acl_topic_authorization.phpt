--TEST--
security: ACLs — alice produces to alice.* but producing to a topic outside her prefix throws code 29 (TOPIC_AUTHORIZATION_FAILED) at the yield; mallory (no ACL) gets 29 everywhere
--FILE--
<?php
require __DIR__ . '/inc/secure.php';

function try_produce(string $user, string $topic): string
{
    [$e, $secs] = timed_failure(function () use ($user, $topic) {
        $p = new flame\db\kafka\producer(secure_conf($user, null, ['linger.ms' => 0]), [], $topic);
        $m = yield $p->produce('payload');
        echo "  $user -> ", preg_replace('/_[0-9a-f]{10}$/', '_*', $topic), ": stored at offset {$m->offset}\n";
    });
    $what = preg_replace('/_[0-9a-f]{10}$/', '_*', $topic);
    if ($e === null) {
        return "$user -> $what: ok";
    }
    return "$user -> $what: " . get_class($e) . ' code ' . $e->getCode() . ', ' . $e->getMessage() . ', ' . within($secs, 10);
}

echo try_produce('alice', alice_name('orders')), "\n";
echo try_produce('alice', 'orders_' . bin2hex(random_bytes(5))), "\n";
echo try_produce('mallory', alice_name('orders')), "\n";
echo try_produce('mallory', 'orders_' . bin2hex(random_bytes(5))), "\n";
?>
--EXPECTF--
  alice -> alice.orders_*: stored at offset 0
alice -> alice.orders_*: ok
alice -> orders_*: flame\db\kafka\exception code 29, delivery to topic "orders_%s" failed: %sTopic authorization failed%s, within 10 s
mallory -> alice.orders_*: flame\db\kafka\exception code 29, delivery to topic "alice.orders_%s" failed: %sTopic authorization failed%s, within 10 s
mallory -> orders_*: flame\db\kafka\exception code 29, delivery to topic "orders_%s" failed: %sTopic authorization failed%s, within 10 s
