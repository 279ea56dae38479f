using System.Globalization;
using Gateway.Http;

namespace Gateway.Security;

/// <summary>The 429 every throttle answers with: <c>Retry-After</c> in whole seconds and a short JSON reason.</summary>
internal static class SecurityResponses
{
    public static Task TooManyAsync(HttpContext context, TimeSpan retryAfter, string detail)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
        return GatewayResponses.ProblemAsync(context, StatusCodes.Status429TooManyRequests, "too_many_requests", detail);
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
