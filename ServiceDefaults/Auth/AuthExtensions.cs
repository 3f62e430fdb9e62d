using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Platform.ServiceDefaults.Auth;

/// <summary>Per-endpoint authorization by scope.</summary>
public static class ScopeEndpointExtensions
{
    /// <summary>
    /// The caller's key must hold <paramref name="scope"/> (one of <see cref="Scopes"/>); the operator always
    /// passes. Without a key → 401, without the scope → 403. Call it twice to require two scopes.
    /// Every endpoint already requires a valid key unless it is marked <c>AllowAnonymous()</c>.
    /// </summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!Scopes.All.Contains(scope))
            throw new ArgumentException($"Unknown scope '{scope}'; use one of Scopes.*.", nameof(scope));
        return builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(new ScopeRequirement(scope)));
    }

    /// <summary>
    /// Only the operator key (the consortium secretariat) may call this endpoint: issuing keys, approving members,
    /// designating council roles. A partner key → 403, no key → 401.
    /// </summary>
    public static TBuilder RequireOperator<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.RequireAuthorization(policy => policy
            .AddAuthenticationSchemes(ApiKeyDefaults.Scheme)
            .RequireAuthenticatedUser()
            .AddRequirements(OperatorRequirement.Instance));
    }
}

internal static class AuthRegistration
{
    public static IServiceCollection AddApiKeyAuth(this IServiceCollection services)
    {
        services.TryAddSingleton<PartnerKeys>();
        services.TryAddSingleton<IPartnerKeyCache>(provider => provider.GetRequiredService<PartnerKeys>());
        // Membership's key list by service name (services:membership:http:0), as Aspire hands it to every service.
        services.AddServiceDiscoveryCore();
        services.AddConfigurationServiceEndpointProvider();
        services.AddHttpClient(PartnerKeyReconciler.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.SocketsHttpHandler { UseProxy = false })
            .AddServiceDiscovery();
        services.AddHostedService<PartnerKeyReconciler>();
        services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyDefaults.Scheme)
            .Configure<IConfiguration>((options, configuration) => options.OperatorKey = configuration["Platform:OperatorKey"]);
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, configureOptions: null);
        // AddAuthentication also registers data protection, whose hosted service loads (or creates and stores) a key
        // ring at every start. An API-key service protects nothing: no XML key ring, no "unencrypted key" warnings in a
        // container, a few MiB less RSS (bench/memory/README.md). Data protection itself stays, resolved only if used.
        var keyRingLoader = services.FirstOrDefault(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (keyRingLoader is not null) services.Remove(keyRingLoader);

        var authenticated = new AuthorizationPolicyBuilder(ApiKeyDefaults.Scheme).RequireAuthenticatedUser().Build();
        services.AddAuthorizationBuilder()
            .SetDefaultPolicy(authenticated)
            // Secure by default: an endpoint without its own policy still needs a valid key.
            .SetFallbackPolicy(authenticated);
        services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
        services.AddSingleton<IAuthorizationHandler, OperatorAuthorizationHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        return services;
    }
}
