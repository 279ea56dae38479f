namespace Gateway.Authentication;

/// <summary>Tells a browser navigation (gets the login page) from a script or API call (gets 401 JSON).</summary>
internal static class RequestKind
{
    public static bool IsNavigation(HttpRequest request) => IsNavigation(request.Method, request.Headers);

    /// <summary>The same question about a request described by its method and headers (forward auth's original request).</summary>
    public static bool IsNavigation(string method, IHeaderDictionary headers)
    {
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            return false;
        }
        var mode = headers["Sec-Fetch-Mode"];
        if (mode.Count > 0)
        {
            return string.Equals(mode[0], "navigate", StringComparison.OrdinalIgnoreCase);
        }
        if (headers.ContainsKey("X-Requested-With"))
        {
            return false;
        }
        var accept = headers.Accept.ToString();
        return accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }
}
