namespace Gateway.Authentication;

/// <summary>Tells a browser navigation (gets the login page) from a script or API call (gets 401 JSON).</summary>
internal static class RequestKind
{
    public static bool IsNavigation(HttpRequest request)
    {
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method))
        {
            return false;
        }
        var mode = request.Headers["Sec-Fetch-Mode"];
        if (mode.Count > 0)
        {
            return string.Equals(mode[0], "navigate", StringComparison.OrdinalIgnoreCase);
        }
        if (request.Headers.ContainsKey("X-Requested-With"))
        {
            return false;
        }
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
