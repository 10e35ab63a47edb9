"""The worker pool the clean and extract steps use: an item that raises, hangs, or kills its
worker costs that item only; the pool is sized by the CPUs the process may really use."""

import time

import pytest

import pool_tasks
from pipelines.parallel import TaskFailed, available_cpus, cgroup_cpu_quota, map_batches, worker_pool


def test_results_come_back_in_order_batch_by_batch():
    batches = [list(range(0, 30)), list(range(30, 45)), []]
    with worker_pool(45, workers=2) as pool:
        out = list(map_batches(pool, pool_tasks.double, iter(batches), chunksize=4))
    assert [batch for batch, _ in out] == batches
    assert [results for _, results in out] == [[n * 2 for n in batch] for batch in batches]


def test_an_item_that_raises_hangs_or_kills_its_worker_costs_only_that_item():
    poisoned = [1, "hang", 2, "exit", 3, "raise", 4, "kill", 5]
    started = time.monotonic()
    with worker_pool(len(poisoned) + 20, workers=2, time_limit_s=2) as pool:
        out = list(map_batches(pool, pool_tasks.double, iter([poisoned, list(range(10, 30))]), chunksize=8))
        stats = dict(pool.stats)
    assert time.monotonic() - started < 20  # the hanging item was stopped at its time limit
    results = out[0][1]
    assert results[0::2] == [2, 4, 6, 8, 10]  # every good item, including those after a poisoned one in its chunk
    hang, exit_, raised, kill = results[1::2]
    assert isinstance(hang, TaskFailed) and hang.kind == "timeout" and "2 s" in hang.message
    assert isinstance(exit_, TaskFailed) and exit_.kind == "crashed" and "exit code 3" in exit_.message
    assert isinstance(raised, TaskFailed) and raised.kind == "error" and "ValueError: bad item" in raised.message
    assert isinstance(kill, TaskFailed) and kill.kind == "crashed" and "SIGKILL" in kill.message
    assert out[1][1] == [n * 2 for n in range(10, 30)]  # the next batch ran on fresh workers
    assert stats["timeouts"] == 1 and stats["crashes"] == 2


def test_a_worker_that_has_done_its_share_is_replaced_by_a_fresh_one():
    # Workers only grow; a fresh fork of the forkserver starts small. 40 items, one worker, 10 each.
    with worker_pool(40, workers=1) as pool:
        pool.items_per_worker = 10
        out = list(map_batches(pool, pool_tasks.worker_pid, iter([list(range(20)), list(range(20))]), chunksize=5))
        stats = dict(pool.stats)
    pids = [pid for _, results in out for pid in results]
    assert len(pids) == 40 and not any(isinstance(pid, TaskFailed) for pid in pids)
    assert [len(set(pids[start : start + 10])) for start in range(0, 40, 10)] == [1, 1, 1, 1]
    assert len(set(pids)) == 4
    assert stats["workers_retired"] == 4 and stats["workers_started"] == 4 and stats["crashes"] == 0


def test_workers_get_the_environment_of_the_pool_that_starts_them(monkeypatch):
    # Workers come from a forkserver started once per process; the pool hands them LAYOFFS_* as of now.
    with worker_pool(1, workers=1) as pool:
        list(map_batches(pool, pool_tasks.environment, iter([[0]])))
    monkeypatch.setenv("LAYOFFS_TEST_MARK", "second")
    with worker_pool(1, workers=1) as pool:
        assert list(map_batches(pool, pool_tasks.environment, iter([[0]])))[0][1] == ["second"]


def cgroup_tree(tmp_path, proc_cgroup: str, files: dict[str, str]):
    root = tmp_path / "sys_fs_cgroup"
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    root.mkdir(exist_ok=True)
    proc = tmp_path / "proc_self_cgroup"
    proc.write_text(proc_cgroup)
    return root, proc


def test_cgroup_v2_quota_of_the_process_and_its_ancestors(tmp_path):
    root, proc = cgroup_tree(tmp_path, "0::/kubepods/pod1/ctr\n", {
        "cpu.max": "max 100000\n",
        "kubepods/cpu.max": "max 100000\n",
        "kubepods/pod1/cpu.max": "300000 100000\n",  # 3 CPUs for the pod
        "kubepods/pod1/ctr/cpu.max": "150000 100000\n",  # 1.5 for the container
    })
    assert cgroup_cpu_quota(root, proc) == 1.5
    assert available_cpus(root, proc) == min(2, _affinity())  # 1.5 CPUs of time: two workers


def test_cgroup_v2_in_a_container_sees_its_own_cgroup_as_the_root(tmp_path):
    root, proc = cgroup_tree(tmp_path, "0::/\n", {"cpu.max": "100000 100000\n"})
    assert cgroup_cpu_quota(root, proc) == 1.0
    assert available_cpus(root, proc) == 1


def test_cgroup_v1_cfs_quota(tmp_path):
    root, proc = cgroup_tree(tmp_path, "4:memory:/x\n2:cpu,cpuacct:/\n", {
        "cpu/cpu.cfs_quota_us": "200000\n",
        "cpu/cpu.cfs_period_us": "100000\n",
    })
    assert cgroup_cpu_quota(root, proc) == 2.0


def test_no_quota_means_affinity(tmp_path):
    root, proc = cgroup_tree(tmp_path, "0::/\n", {"cpu.max": "max 100000\n", "cpu/cpu.cfs_quota_us": "-1\n",
                                                   "cpu/cpu.cfs_period_us": "100000\n"})
    assert cgroup_cpu_quota(root, proc) is None
    assert available_cpus(root, proc) == _affinity()


def _affinity() -> int:
    import os

    return len(os.sched_getaffinity(0))


@pytest.mark.parametrize("items", [0])
def test_no_items_no_pool(items):
    with worker_pool(items) as pool:
        assert pool is None
