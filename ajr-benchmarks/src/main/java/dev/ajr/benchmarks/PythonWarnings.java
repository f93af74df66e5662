package dev.ajr.benchmarks;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Warnings a healthy PyTorch training run prints: Python's {@code UserWarning}, {@code
 * FutureWarning} and {@code DeprecationWarning} from the installed packages (file, line, category
 * and message, then the source line Python prints under it), PyTorch's C++ warnings in glog form,
 * Lightning's hints and the tokenizers' fork notice. The messages are the ones current releases of
 * PyTorch, Megatron-Core, Transformer Engine, Lightning and Transformers print; all are harmless.
 */
final class PythonWarnings {

  private static final String SITE = "/usr/local/lib/python3.10/dist-packages/";

  private PythonWarnings() {}

  /**
   * One warning as printed, one or more lines.
   *
   * @param rank the rank that prints it (for the C++ warnings' own prefix)
   * @param startup whether training is still starting (the warnings printed once per process)
   */
  static List<String> warning(
      SplittableRandom random, int rank, long epochMillis, boolean startup) {
    int kind = random.nextInt(startup ? 16 : 10);
    String glog = LogFormat.glogTime(epochMillis, random.nextInt(1000));
    return switch (kind) {
      case 0, 1 ->
          List.of(
              SITE
                  + "torch/utils/checkpoint.py:464: UserWarning: torch.utils.checkpoint: the"
                  + " use_reentrant parameter should be passed explicitly. In version 2.4 we will"
                  + " raise an exception if use_reentrant is not passed. use_reentrant=False is"
                  + " recommended, but if you need to preserve the current default behavior, you"
                  + " can pass use_reentrant=True. Refer to docs for more details on the"
                  + " differences between the two variants.",
              "  return fn(*args, **kwargs)");
      case 2 ->
          List.of(
              SITE
                  + "torch/distributed/distributed_c10d.py:2911: UserWarning:"
                  + " torch.distributed._all_gather_base is a private function and will be"
                  + " deprecated. Please use torch.distributed.all_gather_into_tensor instead.",
              "  warnings.warn(");
      case 3 ->
          List.of(
              SITE
                  + "torch/distributed/distributed_c10d.py:3396: UserWarning:"
                  + " torch.distributed._reduce_scatter_base is a private function and will be"
                  + " deprecated. Please use torch.distributed.reduce_scatter_tensor instead.",
              "  warnings.warn(");
      case 4 ->
          List.of(
              SITE
                  + "torch/autograd/graph.py:825: UserWarning: c10d::allreduce_: an autograd"
                  + " kernel was not registered to the Autograd key(s) but we are trying to"
                  + " backprop through it. This may lead to silently incorrect behavior. This"
                  + " behavior is deprecated and will be removed in a future version of PyTorch."
                  + " If your operator is differentiable, please ensure you have registered an"
                  + " autograd kernel to the correct Autograd key (e.g. DispatchKey::Autograd,"
                  + " DispatchKey::CompositeImplicitAutograd). If your operator is not being"
                  + " differentiated, please wrap the operator call in a torch.no_grad() block."
                  + " (Triggered internally at"
                  + " /opt/pytorch/pytorch/torch/csrc/autograd/autograd_not_implemented_fallback.cpp:63.)",
              "  return Variable._execution_engine.run_backward(  # Calls into the C++ engine to"
                  + " run the backward pass");
      case 5 ->
          List.of(
              SITE
                  + "transformer_engine/pytorch/attention.py:5478: FutureWarning:"
                  + " `torch.cuda.amp.autocast(args...)` is deprecated. Please use"
                  + " `torch.amp.autocast('cuda', args...)` instead.",
              "  with torch.cuda.amp.autocast(enabled=False):");
      case 6 ->
          List.of(
              SITE
                  + "torch/nn/modules/module.py:1747: FutureWarning: Using a non-full backward"
                  + " hook when the forward contains multiple autograd Nodes is deprecated and"
                  + " will be removed in future versions. This hook will be missing some"
                  + " grad_input. Please use register_full_backward_hook to get the documented"
                  + " behavior.",
              "  self._maybe_warn_non_full_backward_hook(args, result, grad_fn)");
      case 7 ->
          List.of(
              SITE
                  + "megatron/core/tensor_parallel/layers.py:609: UserWarning:"
                  + " async_grad_allreduce is deprecated, not in use anymore and will be fully"
                  + " removed with 0.10.0. Please use overlap_grad_reduce instead.",
              "  warnings.warn(");
      case 8 ->
          List.of(
              SITE
                  + "torch/utils/data/_utils/collate.py:172: UserWarning: The given NumPy array"
                  + " is not writable, and PyTorch does not support non-writable tensors. This"
                  + " means writing to this tensor will result in undefined behavior. You may want"
                  + " to copy the array to protect its data or make it writable before converting"
                  + " it to a tensor. This type of warning will be suppressed for the rest of this"
                  + " program. (Triggered internally at"
                  + " /opt/pytorch/pytorch/torch/csrc/utils/tensor_numpy.cpp:206.)",
              "  return collate([torch.as_tensor(b) for b in batch], collate_fn_map=collate_fn_map)");
      case 9 ->
          List.of(
              SITE
                  + "lightning/pytorch/trainer/connectors/logger_connector/result.py:431: It is"
                  + " recommended to use `self.log('val_loss', ..., sync_dist=True)` when logging"
                  + " on epoch level in distributed setting to accumulate the metric across"
                  + " devices.");
      case 10 ->
          List.of(
              "[rank"
                  + rank
                  + "]:[W"
                  + glog
                  + " ProcessGroupNCCL.cpp:4115] [PG ID 0 PG GUID 0 Rank "
                  + rank
                  + "]  using GPU "
                  + TrainingCluster.localRank(rank)
                  + " to perform barrier as devices used by this process are currently unknown."
                  + " This can potentially cause a hang if this rank to GPU mapping is"
                  + " incorrect.Specify device_ids in barrier() to force use of a particular"
                  + " device,or call init_process_group() with a device_id.");
      case 11 ->
          List.of(
              "[W"
                  + glog
                  + " Utils.hpp:164] Warning: Environment variable NCCL_ASYNC_ERROR_HANDLING is"
                  + " deprecated; use TORCH_NCCL_ASYNC_ERROR_HANDLING instead (function"
                  + " operator())");
      case 12 ->
          List.of(
              SITE
                  + "lightning_fabric/__init__.py:41: DeprecationWarning: pkg_resources is"
                  + " deprecated as an API. See"
                  + " https://setuptools.pypa.io/en/latest/pkg_resources.html",
              "  __import__(\"pkg_resources\").declare_namespace(__name__)");
      case 13 ->
          List.of(
              SITE
                  + "transformers/training_args.py:1568: FutureWarning: `evaluation_strategy` is"
                  + " deprecated and will be removed in version 4.46 of \uD83E\uDD17"
                  + " Transformers. Use `eval_strategy` instead",
              "  warnings.warn(");
      case 14 ->
          List.of(
              SITE
                  + "torch/utils/data/dataloader.py:617: UserWarning: This DataLoader will create"
                  + " 16 worker processes in total. Our suggested max number of worker in current"
                  + " system is 12, which is smaller than what this DataLoader is going to create."
                  + " Please be aware that excessive worker creation might get DataLoader running"
                  + " slow or even freeze, lower the worker number to avoid potential"
                  + " slowness/freeze if necessary.",
              "  warnings.warn(");
      default ->
          List.of(
              "huggingface/tokenizers: The current process just got forked, after parallelism"
                  + " has already been used. Disabling parallelism to avoid deadlocks...",
              "To disable this warning, you can either:",
              "\t- Avoid using `tokenizers` before the fork if possible",
              "\t- Explicitly set the environment variable TOKENIZERS_PARALLELISM=(true | false)");
    };
  }
}
