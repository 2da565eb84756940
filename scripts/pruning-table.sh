#!/usr/bin/env bash
# Measures the pruning table of the README: test accuracy at 50/75/90/95% sparsity for every
# strategy (one seed), one-shot pruning after dense training plus fine-tuning (set/rigl train sparse
# for all epochs instead), and the training MACs of each run. Prints a Markdown table.
#   scripts/pruning-table.sh [pretrain-epochs] [finetune-epochs] [seed]
set -euo pipefail
cd "$(dirname "$0")/.."
pretrain=${1:-5}
finetune=${2:-2}
seed=${3:-1}
cargo build --release --locked --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
strategies=(magnitude random gradient l1 l2 taylor snip synflow movement filter-l1 filter-l2 cosine set rigl)
sparsities=(0.5 0.75 0.9 0.95)
echo "| strategy | 50% | 75% | 90% | 95% | training MACs at 90% |"
echo "|---|---|---|---|---|---|"
for strategy in "${strategies[@]}"; do
  row="| $strategy |"
  macs="–"
  for s in "${sparsities[@]}"; do
    dir="$out/$strategy-$s"
    if ./target/release/prunelab prune --strategy "$strategy" --target-sparsity "$s" --schedule one-shot \
        --pretrain-epochs "$pretrain" --finetune-epochs "$finetune" --seed "$seed" --quiet --out "$dir" >/dev/null 2>"$dir.err"; then
      read -r accuracy sparsity actual < <(python3 -c "import json,sys; d=json.load(open('$dir/summary.json')); print(d['test_accuracy'], d['sparsity'], d['train_macs_actual'])")
      row+=" $(python3 -c "print(f'{100*$accuracy:.2f}%' + ('' if abs($sparsity-$s)<0.005 else f' (at {100*$sparsity:.0f}%)'))") |"
      [[ $s == 0.9 ]] && macs=$(python3 -c "print(f'{$actual:.2e}')")
    else
      row+=" error: $(head -c 80 "$dir.err") |"
    fi
  done
  echo "$row $macs |"
done
