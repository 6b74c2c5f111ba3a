# SPDX-License-Identifier: GPL-2.0
# Run in the hotplug boots (cmake/kernels.cmake), where solcompat_test.ko
# was loaded with leak_cyclics=1 and so left a plain and an omni cyclic
# added, with their handlers in its text. Unloading it must make solcompat
# report both (misuse kind 5, and a line naming the module each, which is
# what is counted here: misuse reports stop printing after ten of a kind)
# and remove them: a timer left armed would fire into the freed
# text within milliseconds, an oops the boot's verdict catches. Then the
# module is loaded again, running no case, for /init's own rmmod.
report='solcompat: module solcompat_test unloads with a cyclic still added'
fail() {
	echo "leak_check: FAIL: $*"
	exit 1
}
dmesg | grep -q 'sctest: left a plain (added) and an omni (added) cyclic' ||
	fail "solcompat_test.ko did not leave its two cyclics (leak_cyclics=1)"
before=$(dmesg | grep -c "$report")
rmmod solcompat_test || fail "rmmod solcompat_test failed"
sleep 1
after=$(dmesg | grep -c "$report")
[ $((after - before)) = 2 ] ||
	fail "$((after - before)) reports of a leaked cyclic at rmmod, expected 2"
echo "leak_check: the 2 leaked cyclics were reported and removed at rmmod"
insmod /modules/solcompat_test.ko families=none ||
	fail "insmod solcompat_test.ko families=none failed"
