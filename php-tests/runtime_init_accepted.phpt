--TEST--
flame\init(name, options) is accepted silently and sets the process title; nothing requires it
--FILE--
<?php
var_dump(flame\init("flame-runtime-test", []));
var_dump(flame\init("flame-runtime-test", ["worker" => 4, "nested" => ["a" => true], "obj" => new stdClass]));
var_dump(flame\init("flame-init-title"));
var_dump(cli_get_process_title());
flame\go(function () { yield flame\time\sleep(1); echo "coroutines work after init()\n"; });
flame\run();
?>
--EXPECT--
NULL
NULL
NULL
string(16) "flame-init-title"
coroutines work after init()
