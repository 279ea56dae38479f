using System.Runtime.CompilerServices;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Gateway.Authentication;

/// <summary>
/// Authorization in place of ASP.NET Core's middleware, with the same decisions: each endpoint's policy is combined
/// once from its metadata (<c>[Authorize]</c>, YARP's <c>AuthorizationPolicy</c>, the fallback policy when it has
/// none) and kept with the endpoint. The gateway's own policies (signed in, optionally in one of some roles) are
/// then checked in place: allowed → next; not signed in → challenge; signed in without the role → forbid. Any other
/// policy (an authentication scheme, another kind of requirement) goes to the framework's middleware as before.
/// </summary>
internal sealed class SessionAuthorizationMiddleware
{
    /// <summary>The key <c>UseAuthorization</c> sets; present, the host does not add the framework's middleware.</summary>
    public const string SetKey = "__AuthorizationMiddlewareSet";

    // Endpoint routing refuses to run an endpoint with authorization metadata unless this item says it was checked.
    private const string InvokedKey = "__AuthorizationMiddlewareWithEndpointInvoked";
    private static readonly object InvokedValue = new();

    private readonly RequestDelegate _next;
    private readonly IAuthorizationPolicyProvider _policies;
    private readonly AuthorizationMiddleware _framework;
    private readonly ConditionalWeakTable<Endpoint, Rule> _rules = new();
    private Rule? _noEndpoint;

    public SessionAuthorizationMiddleware(RequestDelegate next, IAuthorizationPolicyProvider policies, IServiceProvider services, ILogger<AuthorizationMiddleware> logger)
    {
        _next = next;
        _policies = policies;
        _framework = new AuthorizationMiddleware(next, policies, services, logger);
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var rule = endpoint is null ? _noEndpoint : _rules.TryGetValue(endpoint, out var kept) ? kept : null;
        return rule is null ? FirstAsync(context, endpoint) : Apply(rule, context);
    }

    private async Task FirstAsync(HttpContext context, Endpoint? endpoint)
    {
        var rule = await RuleForAsync(endpoint);
        if (endpoint is null)
        {
            _noEndpoint = rule;
        }
        else
        {
            _rules.AddOrUpdate(endpoint, rule);
        }
        await Apply(rule, context);
    }

    private Task Apply(Rule rule, HttpContext context)
    {
        if (rule.Framework)
        {
            return _framework.Invoke(context);
        }
        if (rule.Checked)
        {
            context.Items[InvokedKey] = InvokedValue;
        }
        if (rule.Allows(context.User))
        {
            return _next(context);
        }
        // As the framework's policy evaluator: a signed-in caller lacks a role (403), anyone else must sign in.
        return context.User.Identity?.IsAuthenticated == true ? context.ForbidAsync() : context.ChallengeAsync();
    }

    private async Task<Rule> RuleForAsync(Endpoint? endpoint)
    {
        var metadata = endpoint?.Metadata;
        var policy = await AuthorizationPolicy.CombineAsync(_policies,
            metadata?.GetOrderedMetadata<IAuthorizeData>() ?? [],
            metadata?.GetOrderedMetadata<AuthorizationPolicy>() ?? []);
        var checkedByRouting = metadata is not null &&
            (metadata.GetMetadata<IAuthorizeData>() is not null || metadata.GetMetadata<AuthorizationPolicy>() is not null);
        if (policy is null || metadata?.GetMetadata<IAllowAnonymous>() is not null)
        {
            return new Rule(checkedByRouting, Framework: false, SignedIn: false, RoleSets: []);
        }
        var simple = policy.AuthenticationSchemes.Count == 0 &&
            metadata?.GetMetadata<IAuthorizationRequirementData>() is null &&
            policy.Requirements.All(r => r is DenyAnonymousAuthorizationRequirement or RolesAuthorizationRequirement);
        if (!simple)
        {
            return new Rule(checkedByRouting, Framework: true, SignedIn: false, RoleSets: []);
        }
        var roleSets = policy.Requirements.OfType<RolesAuthorizationRequirement>().Select(r => r.AllowedRoles.ToArray()).ToArray();
        var signedIn = policy.Requirements.OfType<DenyAnonymousAuthorizationRequirement>().Any();
        return new Rule(checkedByRouting, Framework: false, signedIn, roleSets);
    }

    /// <summary>
    /// What an endpoint's policy asks: a signed-in caller (<see cref="SignedIn"/>) and/or one role of each of
    /// <see cref="RoleSets"/>, nothing when neither; or the framework's evaluation (<see cref="Framework"/>).
    /// <see cref="Checked"/>: routing looks for the item saying authorization ran.
    /// </summary>
    private sealed record Rule(bool Checked, bool Framework, bool SignedIn, string[][] RoleSets)
    {
        public bool Allows(ClaimsPrincipal user)
        {
            if (SignedIn && user.Identity?.IsAuthenticated != true && !user.Identities.Any(i => i.IsAuthenticated))
            {
                return false;
            }
            foreach (var roles in RoleSets)
            {
                if (!InAnyRole(user, roles))
                {
                    return false;
                }
            }
            return true;
        }

        private static bool InAnyRole(ClaimsPrincipal user, string[] roles)
        {
            foreach (var role in roles)
            {
                if (user.IsInRole(role))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
