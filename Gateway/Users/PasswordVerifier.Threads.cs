namespace Gateway.Users;

/// <summary>The hashing side: the low-priority threads, the floor thread, and the one thread that completes callers' tasks.</summary>
internal sealed partial class PasswordVerifier
{
    private void Run(int index)
    {
        HashingPriority.Lower();
        _workerPriority[index] = HashingPriority.Current();
        Interlocked.MemoryBarrier();
        try
        {
            while (true)
            {
                _available.Wait(_stopping.Token);
                if (_queue.TryDequeue(out var work) && work.TryStart())
                {
                    Hash(work);
                }
            }
        }
        catch (OperationCanceledException)
        {
            Stopped();
        }
    }

    // The floor: at normal priority, at most one check per interval, and only one that is still waiting when the
    // interval ends. Unsaturated cores empty the queue before that, so it rarely hashes; saturated ones starve the
    // low-priority threads, and then this thread alone keeps logins moving, at about one bcrypt per interval: its
    // share of one core is bounded by hash / (hash + interval), about a fifth at cost 10, whatever the load.
    // (Raising a SCHED_IDLE thread back for a while is not an option: without CAP_SYS_NICE the kernel refuses it.)
    private void RunFloor()
    {
        FloorPriority = HashingPriority.Current();
        try
        {
            while (true)
            {
                Task.Delay(_floorInterval, _time, _stopping.Token).GetAwaiter().GetResult();
                // Refused checks ahead of the oldest waiting one are dropped on the way (no hashing, no answer due).
                while (_queue.TryDequeue(out var work))
                {
                    if (work.TryStart())
                    {
                        Hash(work);
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            Stopped();
        }
    }

    private void Hash(HashingWork work)
    {
        if (work.Cancellation.IsCancellationRequested)
        {
            _done.Add((work, null, null));
            return;
        }
        try
        {
            _done.Add((work, _hash(work.Password, work.Hash), null));
        }
        catch (Exception e)
        {
            _done.Add((work, null, e));
        }
    }

    private void Stopped()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _done.CompleteAdding();
        }
    }

    // At normal priority: completing a task queues its continuation, which may add a thread to the pool.
    private void Complete()
    {
        foreach (var (work, matches, error) in _done.GetConsumingEnumerable())
        {
            if (error is not null)
            {
                work.Result.TrySetException(error);
            }
            else if (matches is { } result)
            {
                work.Result.TrySetResult(result);
            }
            else
            {
                work.Result.TrySetCanceled(work.Cancellation);
            }
        }
    }
}
