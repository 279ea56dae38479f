using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Gateway.Tests.Fixtures;

/// <summary>One answer seen under load: when it was sent (since the start), how long it took, and what came back.</summary>
public sealed record LoadSample(int Client, string Path, TimeSpan SentAt, TimeSpan Elapsed, HttpStatusCode Status, string? RetryAfter, string? SetCookie);

/// <summary>
/// A bounded concurrent load for fault tests: <c>clients</c> loops, each sending the requests its factory builds,
/// until the stop token fires or the hard limit passes. Every answer is recorded for assertions.
/// </summary>
public sealed class LoadDriver(HttpClient client)
{
    private readonly ConcurrentQueue<LoadSample> _samples = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public IReadOnlyList<LoadSample> Samples => _samples.OrderBy(s => s.SentAt).ToList();

    public TimeSpan Now => _clock.Elapsed;

    public Task RunAsync(int clients, Func<int, long, HttpRequestMessage> request, CancellationToken stop, TimeSpan hardLimit) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => LoopAsync(i, request, stop, hardLimit))));

    private async Task LoopAsync(int index, Func<int, long, HttpRequestMessage> request, CancellationToken stop, TimeSpan hardLimit)
    {
        for (long n = 0; !stop.IsCancellationRequested && _clock.Elapsed < hardLimit && n < 100_000; n++)
        {
            using var message = request(index, n);
            var path = message.RequestUri!.OriginalString;
            var sentAt = _clock.Elapsed;
            HttpStatusCode status;
            string? retryAfter = null, setCookie = null;
            try
            {
                using var response = await client.SendAsync(message);
                await response.Content.ReadAsByteArrayAsync();
                status = response.StatusCode;
                retryAfter = response.Headers.RetryAfter?.ToString();
                setCookie = response.Headers.TryGetValues("Set-Cookie", out var cookies) ? string.Join("; ", cookies) : null;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }
            _samples.Enqueue(new LoadSample(index, path, sentAt, _clock.Elapsed - sentAt, status, retryAfter, setCookie));
            // A short think time: steady concurrent load without a busy loop on a small machine.
            await Task.Delay(2);
        }
    }
}
