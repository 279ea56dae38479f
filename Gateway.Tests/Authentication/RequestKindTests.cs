using Gateway.Authentication;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Authentication;

public sealed class RequestKindTests
{
    [Theory]
    [InlineData("GET", "navigate", null, null, true)]
    [InlineData("GET", "NAVIGATE", null, null, true)]
    [InlineData("HEAD", "navigate", null, null, true)]
    [InlineData("GET", "navigate", "application/json", null, true)]
    [InlineData("GET", "cors", "text/html", null, false)]
    [InlineData("GET", "same-origin", "text/html", null, false)]
    [InlineData("GET", "no-cors", "text/html,application/xhtml+xml", null, false)]
    [InlineData("GET", "websocket", "text/html", null, false)]
    [InlineData("GET", null, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", null, true)]
    [InlineData("GET", null, "TEXT/HTML", null, true)]
    [InlineData("HEAD", null, "text/html", null, true)]
    [InlineData("GET", null, "application/json", null, false)]
    [InlineData("GET", null, "*/*", null, false)]
    [InlineData("GET", null, null, null, false)]
    [InlineData("GET", null, "text/html", "XMLHttpRequest", false)]
    [InlineData("GET", "navigate", "text/html", "XMLHttpRequest", true)]
    [InlineData("POST", "navigate", "text/html", null, false)]
    [InlineData("POST", null, "text/html", null, false)]
    [InlineData("PUT", "navigate", "text/html", null, false)]
    [InlineData("DELETE", null, "text/html", null, false)]
    [InlineData("OPTIONS", "navigate", "text/html", null, false)]
    [InlineData("get", "navigate", null, null, true)]
    public void IsNavigation_Table_ReturnsExpected(string method, string? fetchMode, string? accept, string? requestedWith, bool expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        if (fetchMode is not null)
        {
            context.Request.Headers["Sec-Fetch-Mode"] = fetchMode;
        }
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }
        if (requestedWith is not null)
        {
            context.Request.Headers["X-Requested-With"] = requestedWith;
        }

        Assert.Equal(expected, RequestKind.IsNavigation(context.Request));
    }
}
