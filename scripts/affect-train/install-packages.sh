#!/bin/sh
# Installs the Debian packages whose images make up the team's affect training set
# (datasets/affect-train/MANIFEST.tsv records package, version, path and licence per image).
# Needed only for `npm run derive:affect` and the contact sheets, never at run time.
set -eu
apt-get install -y --no-install-recommends \
  gcompris-qt-data \
  plasma-workspace-wallpapers \
  gnome-backgrounds \
  mate-backgrounds \
  ukui-wallpapers \
  lomiri-wallpapers-20.04 \
  wesnoth-1.16-data \
  tuxpaint-stamps-default \
  openclipart-png \
  endless-sky-data
