using System.Net;
using RemoteWrite.Dapr.Tests.Infrastructure;
using RemoteWrite.DaprSidecar;

namespace RemoteWrite.Dapr.Tests.StandIn;

/// <summary>The stand-in's access control follows dapr/dapr pkg/acl/acl.go: per operation, per verb, and only with mTLS.</summary>
public sealed class AccessControlTests : IDisposable
{
    private static readonly CallerIdentity Forwarder = new(DaprNames.ForwarderAppId, "default", "public");
    private readonly string _file = Path.GetTempFileName();

    [Fact]
    public void Repository_configuration_allows_the_forwarder_only_get_on_token()
    {
        var acl = DaprYaml.AccessControl();
        Assert.True(acl.Allows(Forwarder, "token", "GET"));
        Assert.True(acl.Allows(Forwarder, "/TOKEN", "GET")); // HTTP operations are case-insensitive
        Assert.False(acl.Allows(Forwarder, "/token", "POST"));
        Assert.True(acl.Allows(Forwarder, "/token/refresh", "POST"));
        Assert.False(acl.Allows(Forwarder, "/token/refresh", "GET"));
        Assert.False(acl.Allows(Forwarder, "/health", "GET"));
        Assert.False(acl.Allows(Forwarder with { Namespace = "other" }, "/token", "GET"));
        Assert.False(acl.Allows(Forwarder with { TrustDomain = "elsewhere" }, "/token", "GET"));
        Assert.False(acl.Allows(null, "/token", "GET")); // no mTLS: the global default, deny
    }

    [Fact]
    public void Wildcards_verb_star_and_app_default_action_apply_as_in_daprd()
    {
        File.WriteAllText(_file, """
            apiVersion: dapr.io/v1alpha1
            kind: Configuration
            metadata:
              name: test
            spec:
              accessControl:
                defaultAction: deny
                policies:
                  - appId: caller
                    defaultAction: allow
                    trustDomain: public
                    namespace: default
                    operations:
                      - name: /admin/**
                        httpVerb: ["*"]
                        action: deny
                      - name: /items/*
                        httpVerb: ["GET"]
                        action: deny
            """);
        var acl = ConfigurationFile.AccessControl(_file);
        var caller = new CallerIdentity("caller", "default", "public");
        Assert.False(acl.Allows(caller, "/admin/users/1", "DELETE"));
        Assert.False(acl.Allows(caller, "/items/7", "GET"));
        Assert.True(acl.Allows(caller, "/items/7", "PUT")); // no action for the verb: the app's default
        Assert.True(acl.Allows(caller, "/items/7/parts", "GET")); // * is one segment
        Assert.False(acl.Allows(new CallerIdentity("stranger", "default", "public"), "/items", "GET"));
    }

    [Fact]
    public async Task Invocation_through_the_stand_in_is_refused_per_operation_and_verb_and_without_mtls()
    {
        var network = new DaprNetwork();
        // The callee's app is never reached by a denied call; an allowed one fails to connect (500), not 403.
        var nowhere = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        await using var token = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.TokenServiceAppId, AppAddress = nowhere, AccessControl = DaprYaml.AccessControl() }, network);
        await using var forwarder = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.ForwarderAppId }, network);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var url = new Uri(forwarder.HttpEndpoint, $"/v1.0/invoke/{DaprNames.TokenServiceAppId}/method/{DaprNames.TokenMethod}");

        using (var get = await http.GetAsync(url))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, get.StatusCode);
        }

        using (var post = await http.PostAsync(url, new StringContent("{}")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
            Assert.Contains("ERR_DIRECT_INVOKE", await post.Content.ReadAsStringAsync());
        }

        // The same two apps without mTLS: the token service's sidecar cannot tell who calls → global deny.
        var plainNetwork = new DaprNetwork();
        await using var plainToken = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.TokenServiceAppId, AppAddress = nowhere, AccessControl = DaprYaml.AccessControl(), MtlsEnabled = false }, plainNetwork);
        await using var plainForwarder = await DaprSidecarStandIn.StartAsync(new SidecarOptions { AppId = DaprNames.ForwarderAppId, MtlsEnabled = false }, plainNetwork);
        using var noMtls = await http.GetAsync(new Uri(plainForwarder.HttpEndpoint, url.AbsolutePath));
        Assert.Equal(HttpStatusCode.Forbidden, noMtls.StatusCode);
    }

    public void Dispose() => File.Delete(_file);
}
