using System.Globalization;
using System.Text.Json;

namespace Gateway.Http;

/// <summary>
/// Every response the gateway writes itself (errors, JSON, pages) goes through here, so all carry the same
/// security headers and short, machine-readable error bodies: <c>{"status":401,"error":"...","detail":"..."}</c>.
/// </summary>
internal static class GatewayResponses
{
    public const string JsonCsp = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";
    public const string PageCsp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The <c>Cache-Control</c> of every response carrying one of the gateway's cookies (see SessionCookies.Append).</summary>
    public const string PrivateNoStore = "private, no-store";

    public static void NoStore(HttpResponse response, string csp = JsonCsp)
    {
        var headers = response.Headers;
        // A response that already carries a gateway cookie stays marked private as well (SessionCookies.Append).
        if (headers.CacheControl != PrivateNoStore)
        {
            headers.CacheControl = "no-store";
        }
        headers.Pragma = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = csp;
    }

    public static Task ProblemAsync(HttpContext context, int status, string error, string detail, string? login = null)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response);
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(JsonSerializer.Serialize(new ProblemBody(status, error, detail, login), HttpJsonContext.Default.ProblemBody), context.RequestAborted);
    }

    public static Task UnauthorizedAsync(HttpContext context, string detail, string login) =>
        ProblemAsync(context, StatusCodes.Status401Unauthorized, "unauthorized", detail, login);

    /// <summary>Sets <c>Retry-After</c> in whole seconds, rounded up (never 0 for a positive wait).</summary>
    public static void RetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static Task StoreUnavailableAsync(HttpContext context, TimeSpan retryAfter)
    {
        RetryAfter(context.Response, retryAfter);
        return ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "store_unavailable", "session store unavailable, retry later");
    }

    /// <summary>A login refused because no password hashing thread was free within <c>Gateway:Login:QueueTimeout</c>.</summary>
    public static Task LoginOverloadedAsync(HttpContext context, TimeSpan retryAfter)
    {
        RetryAfter(context.Response, retryAfter);
        return ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "login_overloaded", "login capacity exceeded, retry");
    }

    /// <summary>An upgrade or event stream refused because <c>Gateway:Connections:MaxTracked</c> connections are open.</summary>
    public static Task TooManyConnectionsAsync(HttpContext context, TimeSpan retryAfter)
    {
        RetryAfter(context.Response, retryAfter);
        return ProblemAsync(context, StatusCodes.Status503ServiceUnavailable, "too_many_connections", "too many open connections, retry later");
    }

    /// <summary>An HTML page of the gateway's own, under the page CSP unless <paramref name="csp"/> says otherwise.</summary>
    public static Task HtmlAsync(HttpContext context, string page, int status, string csp = PageCsp)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response, csp);
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(page, context.RequestAborted);
    }

    public static Task JsonAsync<T>(HttpContext context, T body, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, int status = 200)
    {
        var response = context.Response;
        response.StatusCode = status;
        NoStore(response);
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(JsonSerializer.Serialize(body, type), context.RequestAborted);
    }
}

/// <summary>Body of every gateway error.</summary>
internal sealed record ProblemBody(int Status, string Error, string Detail, string? Login);
