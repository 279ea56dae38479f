// Micro-benchmarks of what the gateway does on every request besides proxying: parsing the credentials it is
// given, reading a session record, and rewriting the forwarded headers. Run:
//   dotnet run -c Release --project bench/Micro -- --filter '*'            (add --job short for a quick look)
using System.Security.Claims;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Gateway.Authentication;
using Gateway.Configuration;
using Gateway.Proxy;
using Gateway.Sessions;
using Microsoft.Extensions.Primitives;

BenchmarkSwitcher.FromAssembly(typeof(Parsers).Assembly).Run(args);

/// <summary>The credential parsers on their success paths, with realistic inputs.</summary>
[MemoryDiagnoser]
public class Parsers
{
    private readonly StringValues _authorization = new("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:correct horse battery staple")));
    private readonly StringValues _cookies = new("_ga=GA1.1.123456789.1700000000; theme=dark; sid=" + SessionId.New().Value + "; lang=en");
    private readonly string _token = SessionId.New().Value;

    [Benchmark]
    public int BasicParse() => BasicCredentials.Parse(_authorization).User.Length;

    [Benchmark]
    public int CookieFind() => CookieHeader.Find(_cookies, "sid").Count;

    [Benchmark]
    public bool SessionIdParse() => SessionId.TryParse(_token, out _);

    [Benchmark]
    public int CookieStrip() => CookieHeader.Remove(_cookies[0]!, name => name.SequenceEqual("sid"))!.Length;
}

/// <summary>The session record as stored in Redis: written at login, read on every cache miss.</summary>
[MemoryDiagnoser]
public class Codec
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly SessionRecord _record = new("alice", ["user", "admin"], Now, Now, Now.AddHours(12), "203.0.113.7",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "stamp-0123456789abcdef", "form");
    private byte[] _encoded = [];

    [GlobalSetup]
    public void Setup() => _encoded = SessionRecordCodec.Encode(_record, Now.AddMinutes(30));

    [Benchmark]
    public int Encode() => SessionRecordCodec.Encode(_record, Now.AddMinutes(30)).Length;

    [Benchmark]
    public string? Decode() => SessionRecordCodec.Decode(_encoded)?.User;
}

/// <summary>The forwarded-request rewrite: strip forgeable headers and the session cookie, add identity headers.</summary>
[MemoryDiagnoser]
public class Headers
{
    private readonly GatewayOptions _options = new();
    private readonly ClaimsPrincipal _user = new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "alice"), new Claim(ClaimTypes.Role, "user"), new Claim(ClaimTypes.Role, "admin")],
        "Session", ClaimTypes.Name, ClaimTypes.Role));

    [Benchmark]
    public int Apply()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://backend/app");
        request.Headers.TryAddWithoutValidation("Cookie", "theme=dark; sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA; lang=en");
        request.Headers.TryAddWithoutValidation("X-Auth-User", "mallory");
        request.Headers.TryAddWithoutValidation("Accept", "text/html");
        IdentityHeaders.Apply(request, _user, _options);
        return request.Headers.NonValidated.Count;
    }
}
