--TEST--
producer: an unknown partitioner_cb name is a flame\db\kafka\exception listing the valid names
--FILE--
<?php
require __DIR__ . '/inc/kafka.php';

foreach (["round_robin", "", "Consistent"] as $name) {
    try {
        new flame\db\kafka\producer(producer_conf(), ['partitioner_cb' => $name], unique_topic());
        echo "'$name': accepted\n";
    } catch (Throwable $e) {
        echo "'$name': ", get_class($e), "\n";
        $msg = $e->getMessage();
        $missing = [];
        foreach (['consistent', 'random', 'consistent_random', 'murmur2', 'murmur2_random', 'fnv1a', 'fnv1a_random'] as $valid) {
            if (!preg_match('/(?<![\w])' . $valid . '(?![\w])/', $msg)) {
                $missing[] = $valid;
            }
        }
        echo "  names partitioner_cb: ", str_contains($msg, 'partitioner_cb') ? "yes" : "no", "\n";
        echo "  names the bad value: ", ($name === '' || str_contains($msg, $name)) ? "yes" : "no", "\n";
        echo "  valid names missing from message: ", $missing ? implode(', ', $missing) : "none", "\n";
        var_dump($e instanceof RuntimeException);
    }
}
?>
--EXPECT--
'round_robin': flame\db\kafka\exception
  names partitioner_cb: yes
  names the bad value: yes
  valid names missing from message: none
bool(true)
'': flame\db\kafka\exception
  names partitioner_cb: yes
  names the bad value: yes
  valid names missing from message: none
bool(true)
'Consistent': flame\db\kafka\exception
  names partitioner_cb: yes
  names the bad value: yes
  valid names missing from message: none
bool(true)
