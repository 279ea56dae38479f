using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// A loopback TCP proxy in front of a redis-server that adds latency, switchable at run time: every chunk is
/// delivered <see cref="Delay"/> after it was read, in order (true latency, not a growing queue). The gateway
/// connects through <see cref="ConnectionString"/>; assertions go straight to the server.
/// </summary>
public sealed class LatencyProxy(RedisServer target) : IRedisFixture, IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private long _delayTicks;
    private Task? _accepting;

    /// <summary>Latency added in each direction.</summary>
    public TimeSpan Delay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _delayTicks));
        set => Interlocked.Exchange(ref _delayTicks, value.Ticks);
    }

    public string ConnectionString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public IDatabase Database => target.Database;

    public List<string> Keys(string prefix) => target.Keys(prefix);

    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync(_stop.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await (_accepting ?? Task.CompletedTask);
            lock (_pumps)
            {
                _pumps.RemoveAll(p => p.IsCompleted);
            }
            await Task.WhenAll(_pumps.ToArray()).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or TimeoutException)
        {
        }
        _stop.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(stop);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_pumps)
            {
                _pumps.Add(BridgeAsync(client, stop));
            }
        }
    }

    private async Task BridgeAsync(TcpClient client, CancellationToken stop)
    {
        using var _ = client;
        using var upstream = new TcpClient();
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, target.Port, stop);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var up = PumpAsync(client.GetStream(), upstream.GetStream(), linked.Token);
            var down = PumpAsync(upstream.GetStream(), client.GetStream(), linked.Token);
            await Task.WhenAny(up, down);
            await linked.CancelAsync();
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken stop)
    {
        var chunks = Channel.CreateUnbounded<(long Due, byte[] Data)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = Task.Run(async () =>
        {
            await foreach (var (due, data) in chunks.Reader.ReadAllAsync(stop))
            {
                var wait = TimeSpan.FromTicks(due - Environment.TickCount64 * TimeSpan.TicksPerMillisecond);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop);
                }
                await to.WriteAsync(data, stop);
            }
        }, stop);
        try
        {
            var buffer = new byte[16 * 1024];
            while (!stop.IsCancellationRequested)
            {
                var read = await from.ReadAsync(buffer, stop);
                if (read == 0)
                {
                    break;
                }
                var due = Environment.TickCount64 * TimeSpan.TicksPerMillisecond + Delay.Ticks;
                chunks.Writer.TryWrite((due, buffer[..read]));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        chunks.Writer.TryComplete();
        try
        {
            await writer;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
    }
}
