--TEST--
producer: a produce() nobody yields on that fails is reported as an E_WARNING naming the operation
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

flame\go(function () {
    $p = new flame\db\kafka\producer(['bootstrap.servers' => '127.0.0.1:1', 'message.timeout.ms' => 500], [], unique_topic());
    $p->produce("lost", "k");          // no yield
    yield flame\time\sleep(2000);
    echo "after sleep\n";
});
flame\run();
echo "end\n";
?>
--EXPECTF--
Warning: %sproduce%sMessage timed out%s
after sleep
end
