using Dapr.Client.Autogen.Grpc.v1;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;

namespace RemoteWrite.DaprSidecar;

/// <summary>
/// The parts of gRPC service <c>dapr.proto.runtime.v1.Dapr</c> the services call, bound by hand
/// because Dapr.Protos ships client stubs only (CONTRACT.md §4a). Grpc.AspNetCore finds each
/// handler by the method's name on this type, so the names must be the gRPC method names.
/// </summary>
[BindServiceMethod(typeof(DaprGrpcService), nameof(BindService))]
public class DaprGrpcService(SidecarRuntime runtime)
{
    public const string ServiceName = "dapr.proto.runtime.v1.Dapr";

    private static readonly Method<PublishEventRequest, Empty> PublishEventMethod = Unary(nameof(PublishEvent), PublishEventRequest.Parser, Empty.Parser);
    private static readonly Method<GetSecretRequest, GetSecretResponse> GetSecretMethod = Unary(nameof(GetSecret), GetSecretRequest.Parser, GetSecretResponse.Parser);

    public static void BindService(ServiceBinderBase binder, DaprGrpcService? service)
    {
        binder.AddMethod(PublishEventMethod, service is null ? null! : service.PublishEvent);
        binder.AddMethod(GetSecretMethod, service is null ? null! : service.GetSecret);
    }

    /// <summary>
    /// daprd (pkg/api/grpc/grpc.go <c>PublishEvent</c>): unknown pub/sub → InvalidArgument
    /// <c>ERR_PUBSUB_NOT_FOUND</c>; a broker error → Internal <c>ERR_PUBSUB_PUBLISH_MESSAGE</c>;
    /// otherwise the message is stored before the answer, in a CloudEvent unless published with <c>rawPayload</c>.
    /// </summary>
    public virtual async Task<Empty> PublishEvent(PublishEventRequest request, ServerCallContext context)
    {
        runtime.CheckApiToken(context);
        var broker = runtime.Broker;
        if (broker is null || !broker.PubSubNames.Contains(request.PubsubName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"pubsub {request.PubsubName} is not found"));
        }

        if (string.IsNullOrEmpty(request.Topic))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"topic is empty in pubsub {request.PubsubName}"));
        }

        if (!broker.Available)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"error when publish to topic {request.Topic} in pubsub {request.PubsubName}: broker unavailable"));
        }

        var id = Guid.NewGuid().ToString();
        var metadata = new Dictionary<string, string>(request.Metadata);

        // rawPayload: the broker stores the bytes themselves (pkg/api/grpc/grpc.go PublishEvent).
        var data = RawPayload.IsSet(metadata)
            ? request.Data.ToByteArray()
            : CloudEventFactory.Create(id, runtime.Options.AppId, request.PubsubName, request.Topic, request.Data.Span, request.DataContentType, DateTimeOffset.UtcNow);
        try
        {
            await broker.PublishAsync(new BrokerMessage(id, request.PubsubName, request.Topic, data, metadata, request.Data.Length), context.CancellationToken);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"error when publish to topic {request.Topic} in pubsub {request.PubsubName}: {e.Message}"));
        }

        return new Empty();
    }

    /// <summary>
    /// daprd (pkg/api/grpc/grpc.go <c>GetSecret</c>): unknown store → InvalidArgument
    /// <c>ERR_SECRET_STORE_NOT_FOUND</c>; a store error (missing key) → Internal <c>ERR_SECRET_GET</c>.
    /// </summary>
    public virtual Task<GetSecretResponse> GetSecret(GetSecretRequest request, ServerCallContext context)
    {
        runtime.CheckApiToken(context);
        if (!runtime.Options.SecretStores.TryGetValue(request.StoreName, out var store))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"failed finding secret store with key {request.StoreName}"));
        }

        if (!store.TryGetValue(request.Key, out var values))
        {
            throw new RpcException(new Status(StatusCode.Internal, $"failed getting secret with key {request.Key} from secret store {request.StoreName}: secret {request.Key} not found"));
        }

        var response = new GetSecretResponse();
        response.Data.Add(values.ToDictionary());
        return Task.FromResult(response);
    }

    private static Method<TRequest, TResponse> Unary<TRequest, TResponse>(string name, MessageParser<TRequest> request, MessageParser<TResponse> response)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse> =>
        new(MethodType.Unary, ServiceName, name, Marshallers.Create(m => m.ToByteArray(), request.ParseFrom), Marshallers.Create(m => m.ToByteArray(), response.ParseFrom));
}
