using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Gateway.Authentication;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Authentication;

/// <summary>
/// The gateway's authorization middleware on its own, in a Kestrel app on loopback: the decisions ASP.NET Core's
/// middleware makes (allow, challenge when not signed in, forbid when signed in without the role, the fallback policy
/// for endpoints without metadata, anonymous endpoints), for the policies it checks itself and for one it hands to the
/// framework (an assertion requirement). The caller's identity comes from test headers.
/// </summary>
public sealed class SessionAuthorizationMiddlewareTests : IAsyncLifetime
{
    private WebApplication? _app;
    private HttpClient? _client;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication("Test").AddScheme<AuthenticationSchemeOptions, AnswerHandler>("Test", _ => { });
        builder.Services.AddAuthorization(options =>
        {
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
            options.AddPolicy("admins", policy => policy.RequireAuthenticatedUser().RequireRole("admin", "root"));
            options.AddPolicy("two-roles", policy => policy.RequireRole("a").RequireRole("b"));
            options.AddPolicy("asserted", policy => policy.RequireAuthenticatedUser()
                .RequireAssertion(context => context.Resource is HttpContext http && http.Request.Headers.ContainsKey("X-Allow")));
        });
        _app = builder.Build();
        _app.UseRouting();
        _app.Use((context, next) =>
        {
            if (context.Request.Headers["X-User"] is { Count: 1 } user)
            {
                var roles = context.Request.Headers["X-Roles"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
                context.User = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, user.ToString()), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "Test"));
            }
            return next(context);
        });
        ((IApplicationBuilder)_app).Properties[SessionAuthorizationMiddleware.SetKey] = true;
        _app.UseMiddleware<SessionAuthorizationMiddleware>();
        _app.MapGet("/fallback", () => "ok");
        _app.MapGet("/open", () => "ok").AllowAnonymous();
        _app.MapGet("/signed-in", () => "ok").RequireAuthorization();
        _app.MapGet("/admins", () => "ok").RequireAuthorization("admins");
        _app.MapGet("/two-roles", () => "ok").RequireAuthorization("two-roles");
        _app.MapGet("/asserted", () => "ok").RequireAuthorization("asserted");
        await _app.StartAsync();
        _client = new HttpClient { BaseAddress = new Uri(_app.Urls.First()) };
    }

    public async Task DisposeAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("/open", null, null, HttpStatusCode.OK)]
    [InlineData("/fallback", null, null, HttpStatusCode.Unauthorized)]
    [InlineData("/fallback", "alice", null, HttpStatusCode.OK)]
    [InlineData("/signed-in", null, null, HttpStatusCode.Unauthorized)]
    [InlineData("/signed-in", "alice", null, HttpStatusCode.OK)]
    [InlineData("/admins", null, null, HttpStatusCode.Unauthorized)]
    [InlineData("/admins", "alice", "user", HttpStatusCode.Forbidden)]
    [InlineData("/admins", "alice", "user,root", HttpStatusCode.OK)]
    [InlineData("/two-roles", "alice", "a", HttpStatusCode.Forbidden)]
    [InlineData("/two-roles", "alice", "b,a", HttpStatusCode.OK)]
    public async Task GatewayPolicies_DecidedAsTheFrameworkWould(string path, string? user, string? roles, HttpStatusCode expected)
    {
        // Twice: the first request combines the endpoint's policy, the second uses the one kept with the endpoint.
        Assert.Equal(expected, await StatusAsync(path, user, roles));
        Assert.Equal(expected, await StatusAsync(path, user, roles));
    }

    [Fact]
    public async Task OtherRequirements_LeftToTheFrameworksMiddleware()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/asserted", null, null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync("/asserted", "alice", null));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync("/asserted", "alice", null, allow: true));
    }

    private async Task<HttpStatusCode> StatusAsync(string path, string? user, string? roles, bool allow = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (user is not null)
        {
            request.Headers.Add("X-User", user);
        }
        if (roles is not null)
        {
            request.Headers.Add("X-Roles", roles);
        }
        if (allow)
        {
            request.Headers.Add("X-Allow", "1");
        }
        using var response = await _client!.SendAsync(request);
        return response.StatusCode;
    }

    // Answers challenges 401 and forbids 403; authenticates nobody (the test middleware sets the user).
    private sealed class AnswerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthenticateResult.NoResult());
    }
}
