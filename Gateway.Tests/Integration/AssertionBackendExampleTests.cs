using System.Diagnostics;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Gateway.Tests.Deploy;
using Gateway.Tests.Fixtures;
using GatewayAssertionExample;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Integration;

/// <summary>
/// The backend-side examples of docs/assertions.md, run against a real gateway's key set: ASP.NET Core with JwtBearer
/// (deploy/assertions/GatewayAssertionAuthentication.cs, compiled into this project) and Python with PyJWT
/// (deploy/assertions/verify_assertion.py, Debian's python3-jwt, installed by run-tests.sh). Both accept the gateway's
/// token and refuse a forged, an expired or another audience's one, and the unsigned headers alone.
/// </summary>
[Collection(RedisCollection.Name)]
public sealed class AssertionBackendExampleTests(RedisServer redis) : GatewayTestBase(redis)
{
    private const string Issuer = "https://gw.example.test";
    private const string Python = "/usr/bin/python3";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Gateway:Assertion:Enabled"] = "true",
        ["Gateway:Assertion:Issuer"] = Issuer,
    };

    private string JwksUrl => new Uri(Host.Address, "/.well-known/jwks.json").ToString();

    [Fact]
    public async Task AspNetCore_GatewayToken_AcceptedWithClaims()
    {
        await using var backend = await ExampleBackend.StartAsync(JwksUrl, Issuer, "backend");

        var response = await backend.WhoAmIAsync(await TokenAsync("bob"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("bob admin=True", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AspNetCore_ForgedExpiredOrOtherAudience_Refused()
    {
        await using var backend = await ExampleBackend.StartAsync(JwksUrl, Issuer, "backend");
        await using var other = await ExampleBackend.StartAsync(JwksUrl, Issuer, "other-backend");
        var kid = (await AssertionCheck.FetchJwksAsync(Client)).Keys[0].Kid;
        var good = await TokenAsync("alice");

        Assert.Equal(HttpStatusCode.OK, (await backend.WhoAmIAsync(good)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.WhoAmIAsync(AssertionCheck.ForgedToken(kid, Issuer))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.WhoAmIAsync(await ExpiredTokenAsync())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.WhoAmIAsync(good)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.WhoAmIAsync(null, ("X-Auth-User", "bob"), ("X-Auth-Roles", "admin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await backend.WhoAmIAsync(null, ("Authorization", "Bearer " + good))).StatusCode);
    }

    [Fact]
    public async Task Python_GatewayToken_AcceptedWithClaims()
    {
        var (exit, output) = await VerifyWithPythonAsync(await TokenAsync("bob"), "backend");

        Assert.True(exit == 0, output);
        var claims = JsonDocument.Parse(output).RootElement;
        Assert.Equal("bob", claims.GetProperty("sub").GetString());
        Assert.Equal(["user", "admin"], claims.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task Python_ForgedExpiredOrOtherAudience_Refused()
    {
        var kid = (await AssertionCheck.FetchJwksAsync(Client)).Keys[0].Kid;

        var forged = await VerifyWithPythonAsync(AssertionCheck.ForgedToken(kid, Issuer), "backend");
        var expired = await VerifyWithPythonAsync(await ExpiredTokenAsync(), "backend");
        var otherAudience = await VerifyWithPythonAsync(await TokenAsync("alice"), "other-backend");

        Assert.Equal(1, forged.Exit);
        Assert.StartsWith("refused: InvalidSignatureError", forged.Output);
        Assert.Equal(1, expired.Exit);
        Assert.StartsWith("refused: ExpiredSignatureError", expired.Output);
        Assert.Equal(1, otherAudience.Exit);
        Assert.StartsWith("refused: InvalidAudienceError", otherAudience.Output);
    }

    private async Task<string> TokenAsync(string user)
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", r => r.Headers.Authorization = Basic(user))).StatusCode);
        return AssertionCheck.Single(Backend.Last);
    }

    // Signed by the gateway whose clock runs seven minutes late: expired two minutes ago by any real clock, past the
    // one minute of skew the examples allow. A session of its own, so no token signed on time is reused.
    private async Task<string> ExpiredTokenAsync()
    {
        Host.Clock.Advance(TimeSpan.FromMinutes(-7));
        try
        {
            var sid = await LoginAsync("alice");
            Assert.Equal(HttpStatusCode.OK, (await GetAsync("/x", WithCookie(sid))).StatusCode);
            return AssertionCheck.Single(Backend.Last);
        }
        finally
        {
            Host.Clock.Advance(TimeSpan.FromMinutes(7));
        }
    }

    private async Task<(int Exit, string Output)> VerifyWithPythonAsync(string token, string audience)
    {
        Assert.True(File.Exists(Python), $"{Python} is missing: run-tests.sh installs python3-jwt and python3-cryptography");
        var info = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(DeployFilesTests.RepositoryRoot(), "deploy", "assertions", "verify_assertion.py"));
        info.ArgumentList.Add(JwksUrl);
        info.ArgumentList.Add(Issuer);
        info.ArgumentList.Add(audience);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(token);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode is 0 or 1, $"exit {process.ExitCode}: {await output}{await error}");
        return (process.ExitCode, (await output).Trim() + await error);
    }

    /// <summary>A backend app built the way the example says: AddGatewayAssertion, and one endpoint that needs it.</summary>
    private sealed class ExampleBackend : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private ExampleBackend(WebApplication app, Uri address)
        {
            _app = app;
            _client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        }

        public static async Task<ExampleBackend> StartAsync(string jwksUrl, string issuer, string audience)
        {
            var builder = LoopbackApp.CreateBuilder(slim: false);
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddGatewayAssertion(jwksUrl, issuer, audience);
            builder.Services.AddAuthorization();
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/whoami", (ClaimsPrincipal user) => $"{user.Identity!.Name} admin={user.IsInRole("admin")}").RequireAuthorization();
            return new ExampleBackend(app, new Uri(await LoopbackApp.StartAsync(app)));
        }

        public Task<HttpResponseMessage> WhoAmIAsync(string? assertion, params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
            if (assertion is not null)
            {
                request.Headers.Add(GatewayAssertionAuthentication.Header, assertion);
            }
            foreach (var (name, value) in headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            return _client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
