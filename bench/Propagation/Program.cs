// Usage: Propagation <gateway A url> <gateway B url> <user> <password> <trials>
// Each trial: log in on A, use the session on B until B has it cached (two 200s), log out on A, then ask B
// again and again (sequentially, no pause, at most 5 s) until it answers 401. The delay is measured from A's
// logout response to B's first 401. Prints "PROPAGATION trials=.. p50=.. p99=.. max=.. failed=.." in ms.
using System.Diagnostics;
using System.Net;
using System.Text;

if (args.Length != 5)
{
    Console.Error.WriteLine("usage: Propagation <A> <B> <user> <password> <trials>");
    return 2;
}
var (a, b, user, password, trials) = (new Uri(args[0]), new Uri(args[1]), args[2], args[3], int.Parse(args[4]));
using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
var delays = new List<double>();
var failed = 0;
var body = $"{{\"username\":\"{user}\",\"password\":\"{password}\"}}";
for (var trial = 0; trial < trials; trial++)
{
    using var login = await http.PostAsync(new Uri(a, "/auth/login"), new StringContent(body, Encoding.UTF8, "application/json"));
    var sid = login.Headers.TryGetValues("Set-Cookie", out var cookies)
        ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("sid=", StringComparison.Ordinal))
        : null;
    if (login.StatusCode != HttpStatusCode.OK || sid is null)
    {
        Console.Error.WriteLine($"login failed: {(int)login.StatusCode}");
        return 1;
    }
    if (await Status(b, "/app", sid) is var first && first != HttpStatusCode.OK || await Status(b, "/app", sid) is var second && second != HttpStatusCode.OK)
    {
        Console.Error.WriteLine($"the new session was not accepted by B ({(int)first}, then {(int)(await Status(b, "/app", sid))})");
        return 1;
    }
    using var logout = new HttpRequestMessage(HttpMethod.Post, new Uri(a, "/auth/logout"));
    logout.Headers.Add("Cookie", sid);
    using var loggedOut = await http.SendAsync(logout);
    var clock = Stopwatch.StartNew();
    var refused = false;
    while (clock.Elapsed < TimeSpan.FromSeconds(5))
    {
        if (await Status(b, "/app", sid) == HttpStatusCode.Unauthorized)
        {
            refused = true;
            break;
        }
    }
    if (refused)
    {
        delays.Add(clock.Elapsed.TotalMilliseconds);
    }
    else
    {
        failed++;
    }
}
delays.Sort();
double Percentile(double p) => delays.Count == 0 ? double.NaN : delays[Math.Min(delays.Count - 1, (int)Math.Ceiling(p * delays.Count) - 1)];
Console.WriteLine(FormattableString.Invariant(
    $"PROPAGATION trials={trials} p50={Percentile(0.5):F2} p99={Percentile(0.99):F2} max={(delays.Count > 0 ? delays[^1] : double.NaN):F2} failed={failed}"));
return 0;

async Task<HttpStatusCode> Status(Uri gateway, string path, string cookie)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway, path));
    request.Headers.Add("Cookie", cookie);
    request.Headers.Add("Accept", "application/json");
    using var response = await http.SendAsync(request);
    return response.StatusCode;
}
