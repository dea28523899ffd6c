#pragma once
// Every built-in layer (strata::layers).
#include <strata/layers/activation/activation.hpp>
#include <strata/layers/conv/conv2d.hpp>
#include <strata/layers/core/dense.hpp>
#include <strata/layers/core/dropout.hpp>
#include <strata/layers/normalization/batch_normalization.hpp>
#include <strata/layers/pooling/average_pooling2d.hpp>
#include <strata/layers/pooling/global_average_pooling2d.hpp>
#include <strata/layers/pooling/max_pooling2d.hpp>
#include <strata/layers/reshaping/flatten.hpp>
#include <strata/layers/reshaping/reshape.hpp>
#include <strata/layers/spatial_size.hpp>
