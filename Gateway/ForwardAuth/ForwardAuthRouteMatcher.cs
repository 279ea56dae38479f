using Gateway.Http;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.ForwardAuth;

/// <summary>
/// Finds the route of routes.json a request would take, from the routes YARP is using now
/// (<see cref="IProxyStateLookup"/>: a routes.json edit YARP refused leaves its last good routes here too), with the
/// precedence of ASP.NET routing: <c>Order</c>, then the path's specificity (literal before parameter before
/// catch-all), then routes naming hosts, then routes naming methods, before those that do not. Path, route
/// constraints, <c>Hosts</c> and <c>Methods</c> are honoured. A route matching on <c>Headers</c> or
/// <c>QueryParameters</c> is skipped: forward auth does not see the original request's headers.
/// </summary>
internal sealed class ForwardAuthRouteMatcher(IProxyStateLookup proxy, IInlineConstraintResolver constraints)
{
    private Compiled? _compiled;

    /// <summary>The route for this method, host and (decoded) path, or null when none matches.</summary>
    public RouteConfig? Match(HttpContext context, string method, string host, int port, PathString path)
    {
        var routes = Current();
        foreach (var candidate in routes.Candidates)
        {
            if (candidate.Matches(context, method, host, port, path))
            {
                return candidate.Config;
            }
        }
        return null;
    }

    private Compiled Current()
    {
        var configs = proxy.GetRoutes().Select(r => r.Config).ToArray();
        if (_compiled is { } compiled && compiled.Configs.Length == configs.Length && compiled.Configs.Zip(configs).All(p => ReferenceEquals(p.First, p.Second)))
        {
            return compiled;
        }
        var candidates = configs
            .Where(c => c.Match.Headers is not { Count: > 0 } && c.Match.QueryParameters is not { Count: > 0 })
            .Select(c => new Candidate(c, constraints))
            .OrderBy(c => c.Config.Order ?? 0)
            .ThenBy(c => c.Pattern.InboundPrecedence)
            .ThenBy(c => c.Config.Match.Hosts is { Count: > 0 } ? 0 : 1)
            .ThenBy(c => c.Config.Match.Methods is { Count: > 0 } ? 0 : 1)
            .ThenBy(c => c.Pattern.RawText, StringComparer.OrdinalIgnoreCase)
            .ToArray();
        return _compiled = new Compiled(configs, candidates);
    }

    private sealed record Compiled(RouteConfig[] Configs, Candidate[] Candidates);

    private sealed class Candidate
    {
        private readonly TemplateMatcher _matcher;
        private readonly (string Name, IRouteConstraint Constraint)[] _constraints;

        public Candidate(RouteConfig config, IInlineConstraintResolver resolver)
        {
            Config = config;
            // YARP's own default when a route names no path.
            Pattern = RoutePatternFactory.Parse(config.Match.Path ?? "/{**catchall}");
            _matcher = new TemplateMatcher(new RouteTemplate(Pattern), new RouteValueDictionary(Pattern.Defaults));
            _constraints = Pattern.ParameterPolicies
                .SelectMany(p => p.Value.Select(r => (p.Key, Constraint: r.ParameterPolicy as IRouteConstraint ?? (r.Content is null ? null : resolver.ResolveConstraint(r.Content)))))
                .Where(c => c.Constraint is not null)
                .Select(c => (c.Key, c.Constraint!))
                .ToArray();
        }

        public RouteConfig Config { get; }

        public RoutePattern Pattern { get; }

        public bool Matches(HttpContext context, string method, string host, int port, PathString path)
        {
            if (Config.Match.Methods is { Count: > 0 } methods && !methods.Contains(method, StringComparer.OrdinalIgnoreCase))
            {
                return false;
            }
            if (Config.Match.Hosts is { Count: > 0 } hosts && !HostPattern.MatchesAny(hosts, host, port))
            {
                return false;
            }
            var values = new RouteValueDictionary();
            if (!_matcher.TryMatch(path, values))
            {
                return false;
            }
            foreach (var (name, constraint) in _constraints)
            {
                if (!constraint.Match(context, null, name, values, RouteDirection.IncomingRequest))
                {
                    return false;
                }
            }
            return true;
        }
    }
}
