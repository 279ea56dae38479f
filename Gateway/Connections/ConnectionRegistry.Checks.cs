using Gateway.Sessions;

namespace Gateway.Connections;

/// <summary>When the registry checks a session: word from the session rules, invalidation messages, timers and sweeps.</summary>
internal sealed partial class ConnectionRegistry
{
    private IInvalidationSubscription? _subscription;
    private ITimer? _sweep;

    private void StartChecks()
    {
        _sessions.Ended += OnEnded;
        _sessions.Rotated += OnRotated;
        // A message names a session deleted, touched or superseded anywhere: which of these it was, the store says.
        _subscription = _channel?.Subscribe(InvalidationTopic.Sessions, OnChanged, CheckAll);
        _sweep = _time.CreateTimer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    private void StopChecks()
    {
        _sessions.Ended -= OnEnded;
        _sessions.Rotated -= OnRotated;
        _subscription?.Dispose();
        _sweep?.Dispose();
    }

    private void OnEnded(SessionKey key, string reason)
    {
        if (Find(key.Value) is { } group)
        {
            End(group, reason);
        }
        // Other gateways learn it from the channel even when no near cache publishes deletes.
        _ = PublishAsync(key);
    }

    private void OnRotated(SessionKey old, SessionKey successor)
    {
        if (Find(old.Value) is { } group)
        {
            Move(group, successor);
        }
    }

    private void OnChanged(string key)
    {
        if (Find(key) is { } group)
        {
            _ = CheckAsync(group);
        }
    }

    private void OnDue(object? state) => _ = CheckAsync((SessionConnections)state!);

    // Messages may have been lost (the channel reconnected): every session is checked.
    private void CheckAll()
    {
        List<SessionConnections> groups;
        lock (_gate)
        {
            groups = [.. _tracked.Values];
        }
        foreach (var group in groups)
        {
            _ = CheckAsync(group);
        }
    }

    // One check of a session at a time; what asks for another meanwhile gets one more round.
    private async Task CheckAsync(SessionConnections group)
    {
        lock (_gate)
        {
            if (group.Removed)
            {
                return;
            }
            if (group.Checking)
            {
                group.Again = true;
                return;
            }
            group.Checking = true;
            group.Again = false;
        }
        var again = true;
        while (again)
        {
            try
            {
                var (live, reason) = await _sessions.FollowAsync(group.Key, group.User, group.Client, _stopping.Token);
                if (live is { } key)
                {
                    Move(group, key);
                }
                else
                {
                    // Gone from the store at its absolute expiry (a store that expires by itself): say so.
                    End(group, reason == "ended" && _time.GetUtcNow() >= group.AbsoluteExpiry ? "absolute_timeout" : reason!);
                }
            }
            catch (SessionStoreUnavailableException e)
            {
                // The store cannot say: the connection stays (a store blip must not sign everyone out); the timer retries.
                LogCheckFailed(_logger, group.Key.Handle, e.TimedOut);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            lock (_gate)
            {
                again = group.Again && !group.Removed;
                group.Again = false;
                group.Checking = again;
                if (!again && !group.Removed)
                {
                    group.Timer?.Change(Due(group), Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    // The next check: at the touch interval (the session is in use while connected), or at the absolute expiry.
    private TimeSpan Due(SessionConnections group)
    {
        var touch = _options.CurrentValue.Session.EffectiveTouchInterval;
        var left = group.AbsoluteExpiry - _time.GetUtcNow();
        return left < TimeSpan.Zero ? TimeSpan.Zero : left < touch ? left : touch;
    }

    private SessionConnections? Find(string key)
    {
        lock (_gate)
        {
            return _tracked.GetValueOrDefault(key);
        }
    }

    private async Task PublishAsync(SessionKey key)
    {
        if (_channel is null)
        {
            return;
        }
        try
        {
            await _channel.PublishAsync(InvalidationTopic.Sessions, key.Value, _stopping.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
