using System.Net;
using System.Text;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

// Params' immutability, the registry, retries and auth.
public sealed partial class MlflowContractTests
{
    [Fact]
    public async Task LogParam_SameKeyDifferentValue_SurfacesInvalidParameterValue_Contract()
    {
        var store = Store();
        var run = await store.CreateRunAsync((await store.CreateExperimentAsync("e")).Id, "r", T0);
        await store.LogParamAsync(run.Id, "lr", "1e-4");
        await store.LogParamAsync(run.Id, "lr", "1e-4");

        var e = await Assert.ThrowsAsync<TrackingException>(() => store.LogParamAsync(run.Id, "lr", "2e-4"));

        Assert.Equal(TrackingException.InvalidParameterValue, e.ErrorCode);
        Assert.Contains("'lr'", e.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(3, _server.RequestsTo("POST", "runs/log-batch").Count); // a 400 is not retried
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task ModelVersionAndAlias_RoundTrip_Contract()
    {
        var store = Store();
        var run = await store.CreateRunAsync((await store.CreateExperimentAsync("e")).Id, "r", T0);
        var model = await store.CreateRegisteredModelAsync("policy");
        var again = await store.CreateRegisteredModelAsync("policy");
        Assert.Equal((model.Name, model.CreatedAt), (again.Name, again.CreatedAt));
        var v1 = await store.CreateModelVersionAsync("policy", "s3://models/policy/1", run.Id);
        var v2 = await store.CreateModelVersionAsync("policy", "s3://models/policy/2", null);
        Assert.Equal((1, 2, run.Id, (string?)null), (v1.Version, v2.Version, v1.RunId, v2.RunId));

        await store.SetAliasAsync("policy", "champion", 1);
        await store.SetAliasAsync("policy", "challenger", 2);
        Assert.Equal(v1, await store.GetVersionByAliasAsync("policy", "champion"));
        Assert.Equal(v2, await store.GetVersionByAliasAsync("policy", "challenger"));
        await store.DeleteAliasAsync("policy", "challenger");
        Assert.Null(await store.GetVersionByAliasAsync("policy", "challenger"));
        Assert.Null(await store.GetRegisteredModelAsync("nope"));

        Assert.Equal("1", _server.RequestsTo("POST", "registered-models/alias")[0].Body!["version"]!.GetValue<string>());
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task CreateModelVersion_UnknownModel_SurfacesResourceDoesNotExist_Contract()
    {
        var e = await Assert.ThrowsAsync<TrackingException>(() => Store().CreateModelVersionAsync("nope", "s3://m/1", null));
        Assert.Equal(TrackingException.ResourceDoesNotExist, e.ErrorCode);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Request_503ThenSuccess_RetriesAndSucceeds_Contract()
    {
        _server.FailNext(2, HttpStatusCode.ServiceUnavailable);
        var exp = await Store().CreateExperimentAsync("e");
        Assert.Equal("1", exp.Id);
        Assert.Equal(3, _server.RequestsTo("POST", "experiments/create").Count);
        Assert.Empty(_server.Violations);
    }

    [Fact]
    public async Task Request_429Persistently_GivesUpAfterMaxRetries_Contract()
    {
        _server.FailNext(100, HttpStatusCode.TooManyRequests);
        var e = await Assert.ThrowsAsync<TrackingException>(() => Store(o => o with { MaxRetries = 2 }).CreateExperimentAsync("e"));
        Assert.Equal("TEMPORARILY_UNAVAILABLE", e.ErrorCode);
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task Auth_BearerToken_SentOnEveryRequest_Contract()
    {
        var store = Store(o => o with { Token = "secret-token" });
        await store.CreateExperimentAsync("e");
        await store.GetExperimentByNameAsync("e");
        Assert.All(_server.Requests, r => Assert.Equal("Bearer secret-token", r.Authorization));
    }

    [Fact]
    public async Task Auth_UsernameAndPassword_SentAsBasic_Contract()
    {
        await Store(o => o with { Username = "ann", Password = "pw" }).CreateExperimentAsync("e");
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pw"));
        Assert.Equal(expected, Assert.Single(_server.Requests).Authorization);
    }

    [Fact]
    public async Task Auth_NoneConfigured_SendsNoAuthorizationHeader_Contract()
    {
        await Store().CreateExperimentAsync("e");
        Assert.Null(Assert.Single(_server.Requests).Authorization);
    }
}
