#!/usr/bin/env bash
# Builds the one-folder bundle with PyInstaller and packs it for UOS/Kylin as
# dist/NoticeDesk-VERSION-linux-x86_64.tar.gz (bundle + .desktop file + icon + install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PY:-.venv/bin/python}
version=$("$py" -c "import desktop; print(desktop.__version__)")
"$py" -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
    installer/noticedesk.spec
stage=build/NoticeDesk-$version
rm -rf "$stage" && mkdir -p "$stage"
cp -r dist/NoticeDesk "$stage/"
cp installer/linux/noticedesk.desktop installer/linux/install.sh "$stage/"
cp resources/icons/noticedesk-256.png "$stage/noticedesk.png"
tar -C build -czf "dist/NoticeDesk-$version-linux-$(uname -m).tar.gz" "NoticeDesk-$version"
echo "bundle: dist/NoticeDesk ($(du -sh dist/NoticeDesk | cut -f1)), archive: dist/NoticeDesk-$version-linux-$(uname -m).tar.gz ($(du -sh dist/NoticeDesk-$version-linux-*.tar.gz | cut -f1))"
