#!/usr/bin/env bash
# Measures the pruning table of the README: test accuracy at 50/75/90/95% sparsity for every
# strategy, one-shot pruning after dense training plus fine-tuning (set/rigl train sparse for all
# epochs instead), and the training MACs of each run. Prints a Markdown table; with several seeds
# (comma-separated) each cell is the mean and, in brackets, the lowest and highest seed.
#   scripts/pruning-table.sh [pretrain-epochs] [finetune-epochs] [seeds, e.g. 1 or 1,2,3] [strategies]
# The optional fourth argument measures only some rows, e.g. magnitude,targeted-dropout.
set -euo pipefail
cd "$(dirname "$0")/.."
pretrain=${1:-5}
finetune=${2:-2}
seed=${3:-1}
cargo build --release --locked --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
strategies=(magnitude random gradient l1 l2 taylor snip synflow movement filter-l1 filter-l2 cosine set rigl
  targeted-dropout largest-magnitude)
if [[ -n ${4:-} ]]; then
  IFS=, read -r -a strategies <<< "$4"
fi
sparsities=(0.5 0.75 0.9 0.95)
echo "| strategy | 50% | 75% | 90% | 95% | training MACs at 90% |"
echo "|---|---|---|---|---|---|"
IFS=, read -r -a seed_list <<< "$seed"
for strategy in "${strategies[@]}"; do
  row="| $strategy |"
  macs="–"
  for s in "${sparsities[@]}"; do
    accuracies=() sparsity="" actual=""
    for one in "${seed_list[@]}"; do
      dir="$out/$strategy-$s-$one"
      if ./target/release/prunelab prune --strategy "$strategy" --target-sparsity "$s" --schedule one-shot \
          --pretrain-epochs "$pretrain" --finetune-epochs "$finetune" --seed "$one" --quiet --out "$dir" >/dev/null 2>"$dir.err"; then
        read -r accuracy sparsity actual < <(python3 -c "import json; d=json.load(open('$dir/summary.json')); print(d['test_accuracy'], d['sparsity'], d['train_macs_actual'])")
        accuracies+=("$accuracy")
      else
        accuracies=("error: $(head -c 80 "$dir.err")")
        break
      fi
    done
    if [[ ${accuracies[0]} == error* ]]; then
      row+=" ${accuracies[0]} |"
      continue
    fi
    row+=" $(python3 -c "
a = [100 * float(x) for x in '${accuracies[*]}'.split()]
cell = f'{sum(a) / len(a):.2f}%' + (f' ({min(a):.1f}–{max(a):.1f})' if len(a) > 1 else '')
print(cell + ('' if abs($sparsity - $s) < 0.005 else f' at {100 * $sparsity:.0f}%'))") |"
    [[ $s == 0.9 ]] && macs=$(python3 -c "print(f'{$actual:.2e}')")
  done
  echo "$row $macs |"
done
