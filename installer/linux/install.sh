#!/bin/sh
# Installs the unpacked NoticeDesk bundle for the current user on UOS/Kylin (no root needed):
# the program under ~/.local/opt/NoticeDesk, a launcher in ~/.local/bin, the menu entry and icon.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${HOME}/.local"
mkdir -p "$prefix/opt" "$prefix/bin" "$prefix/share/applications" "$prefix/share/icons/hicolor/256x256/apps"
rm -rf "$prefix/opt/NoticeDesk"
cp -r "$here/NoticeDesk" "$prefix/opt/NoticeDesk"
ln -sf "$prefix/opt/NoticeDesk/NoticeDesk" "$prefix/bin/NoticeDesk"
sed "s#^Exec=NoticeDesk#Exec=$prefix/opt/NoticeDesk/NoticeDesk#" "$here/noticedesk.desktop" \
    > "$prefix/share/applications/noticedesk.desktop"
cp "$here/noticedesk.png" "$prefix/share/icons/hicolor/256x256/apps/noticedesk.png"
echo "已安装：在开始菜单“办公”中打开“要点台账”，或运行 $prefix/bin/NoticeDesk"
