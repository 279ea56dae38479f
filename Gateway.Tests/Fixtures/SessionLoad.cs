using System.Net;

namespace Gateway.Tests.Fixtures;

/// <summary>
/// The store-outage tests' load: one client per session, even requests to a protected route with that client's
/// session cookie, odd ones to a public route; and what tells the outage is over.
/// </summary>
public static class SessionLoad
{
    /// <summary>Runs the load until <paramref name="stop"/> fires or <paramref name="hardLimit"/> passes.</summary>
    public static Task RunAsync(this LoadDriver driver, IReadOnlyList<string> sids, CancellationToken stop, TimeSpan hardLimit) =>
        driver.RunAsync(sids.Count, (client, n) =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, n % 2 == 0 ? $"/app/c{client}/{n}" : $"/public/c{client}/{n}");
            request.Headers.Add("Cookie", $"sid={sids[client]}");
            return request;
        }, stop, hardLimit);

    /// <summary>Whether every one of <paramref name="clients"/> has had a 200 on its protected route since <paramref name="since"/>, within <paramref name="limit"/>.</summary>
    public static Task<bool> AllServedSinceAsync(this LoadDriver driver, int clients, TimeSpan since, TimeSpan limit) =>
        Eventually.WithinAsync(() => driver.Samples
            .Where(s => s.SentAt >= since && s.Status == HttpStatusCode.OK && s.Path.StartsWith("/app/", StringComparison.Ordinal))
            .Select(s => s.Client).Distinct().Count() == clients, limit);

    /// <summary>The answers per second, route kind and status, for a failure message.</summary>
    public static string Timeline(IEnumerable<LoadSample> samples) =>
        string.Join(" ", samples.GroupBy(s => ((int)s.SentAt.TotalSeconds, s.Path[..4], (int)s.Status)).Select(g => $"{g.Key}x{g.Count()}"));
}
