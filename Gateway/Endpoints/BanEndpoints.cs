using System.Text.Json.Serialization;
using Gateway.Http;
using Gateway.Security;

namespace Gateway.Endpoints;

/// <summary>
/// <c>GET {prefix}/admin/bans</c>: bans in force (failed logins, session-id guessing), soonest ending first.
/// <c>DELETE {prefix}/admin/bans/{id}</c>: lifts one (and forgets its failures); 404 when there is none.
/// Both need the <c>Gateway:Admin:Role</c> role.
/// </summary>
internal static partial class BanEndpoints
{
    private const int MaxListed = 1000;

    public static void Map(IEndpointRouteBuilder routes, string prefix)
    {
        routes.MapGet(prefix + "/admin/bans", async (HttpContext context, IThrottleStore store, TimeProvider time) =>
        {
            var bans = await store.ListBansAsync(time.GetUtcNow(), MaxListed, context.RequestAborted);
            var body = bans.Select(b => new BanInfo(b.Id, b.Kind, b.User, b.Ip, b.Until, b.Failures)).ToArray();
            await GatewayResponses.JsonAsync(context, body, SecurityJsonContext.Default.BanInfoArray);
        }).RequireAuthorization(AdminEndpoints.Policy);

        routes.MapDelete(prefix + "/admin/bans/{id}", async (string id, HttpContext context, IThrottleStore store, SessionGuessingGuard guard, ILoggerFactory loggers) =>
        {
            var ban = id.Length == 22 ? await store.LiftAsync(id, context.RequestAborted) : null;
            if (ban is null)
            {
                await GatewayResponses.ProblemAsync(context, StatusCodes.Status404NotFound, "not_found", "no such ban");
                return;
            }
            if (ban.Kind == "guess")
            {
                guard.Forget(ban.Ip);
            }
            LogLifted(loggers.CreateLogger(typeof(BanEndpoints)), ban.Kind, ban.User ?? "-", ban.Ip ?? "-", context.User.Identity?.Name ?? "?");
            GatewayResponses.NoStore(context.Response);
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }).RequireAuthorization(AdminEndpoints.Policy);
    }

    [LoggerMessage(EventId = 1603, EventName = "BanLifted", Level = LogLevel.Warning, Message = "Ban ({Kind}) of user {User} from {Ip} lifted by {Admin}.")]
    private static partial void LogLifted(ILogger logger, string kind, string user, string ip, string admin);
}

/// <summary>One ban as shown to administrators.</summary>
internal sealed record BanInfo(string Id, string Kind, string? User, string? Ip, DateTimeOffset Until, int Failures);

/// <summary>Source-generated JSON for the security endpoints.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BanInfo[]))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
