# assets-lib: the large asset register the benchmarks share; sourced by bench/run-assets.sh
# and bench/run-web.sh, so that both measure the same register.

# The register: 20 sections (所管課 sec00..sec19), the 17 columns of the import format, 和暦
# and western dates, quoted fields with commas and doubled quotes in every row.
# Usage: assets_gen N FILE
assets_gen() {
  awk -v n="$1" 'BEGIN {
    print "所管課,情報資産の種類,名称・型番,台数・個数,保管場所,バックアップの有無,廃棄方法,機密性,完全性,可用性,管理責任者,ネットワーク区分,個人情報,特定個人情報,復旧目標時間,取得日,備考"
    split("ハードウェア,ソフトウェア,外部記憶媒体,ドキュメント,データ,システム", ty, ",")
    split("LGWAN接続系,インターネット接続系,マイナンバー利用事務系", zo, ",")
    for (i = 1; i <= n; i++) {
      c = 1 + i % 3; a = 1 + i % 2; z = 1 + i % 3
      printf "sec%02d,%s,\"業務端末 %d, 型番\"\"TX-%d\"\"\",%d,本庁舎%d階 執務室,%s,業者により物理破壊,%d,%d,%d,課長 %d,%s,%s,%s,%s,%s,点検 %d\n",
        i % 20, ty[1 + i % 6], i, i % 1000, 1 + i % 9, 1 + i % 8, (i % 2 ? "あり" : "なし"),
        c, 1 + i % 2, a, i % 20, zo[z], (z == 3 || i % 5 == 0 ? "あり" : "なし"),
        (z == 3 ? "あり" : "なし"), (a == 2 ? 24 : ""),
        (i % 2 ? "令和" (2 + i % 6) "年" (1 + i % 12) "月" (1 + i % 28) "日" : (2000 + i % 25) "/" (1 + i % 12) "/" (1 + i % 28)),
        i
    }
  }' >"$2"
}

# Adds the register's 20 sections (sec00..sec19, 課 0..課 19) under unit PARENT of DB.
# Usage: assets_sections BIN DB PARENT
assets_sections() {
  for i in $(seq 0 19); do
    "$1" ${BENCH_AS:+--as "$BENCH_AS"} org add --db "$2" --code "$(printf 'sec%02d' "$i")" --name "課 $i" --kind section \
      --parent "$3" >/dev/null
  done
}
