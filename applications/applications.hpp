#pragma once
// keras.applications: every prebuilt architecture, with its preprocess_input and decode_predictions.
#include <strata/applications/application.hpp>
#include <strata/applications/imagenet_utils.hpp>
// apps: the classic families
#include <strata/applications/densenet.hpp>
#include <strata/applications/mobilenet_v2.hpp>
#include <strata/applications/resnet.hpp>
#include <strata/applications/resnet_v2.hpp>
#include <strata/applications/vgg.hpp>
#include <strata/applications/inception_resnet_v2.hpp>
#include <strata/applications/inception_v3.hpp>
#include <strata/applications/mobilenet.hpp>
#include <strata/applications/xception.hpp>
// apps2: EfficientNet, EfficientNetV2, MobileNetV3, ConvNeXt
#include <strata/applications/convnext.hpp>
#include <strata/applications/efficientnet.hpp>
#include <strata/applications/efficientnet_v2.hpp>
#include <strata/applications/mobilenet_v3.hpp>
